import { float, repr, tuple } from '../src/repr.js';

describe(repr, () => {
  it('prints lists, dicts and strings as Python does', () => {
    expect(repr([1, 2, 3])).toBe('[1, 2, 3]');
    expect(repr({ name: 'Ada Lovelace', age: 202 })).toBe("{'name': 'Ada Lovelace', 'age': 202}");
    expect(repr("it's")).toBe('"it\'s"');
    expect(repr([true, null, undefined])).toBe('[True, None, None]');
  });

  it('prints floats with a decimal point and tuples in parentheses', () => {
    expect(repr([float(1), float(1.41)])).toBe('[1.0, 1.41]');
    expect(repr(tuple(1, 2))).toBe('(1, 2)');
    expect(repr(tuple(1))).toBe('(1,)');
  });
});
