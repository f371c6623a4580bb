import { freeVariables } from '../../src/internal/index.js';

describe(freeVariables, () => {
  it('finds names read but not declared', () => {
    expect(freeVariables('(x) => x + y')).toEqual(['y']);
    expect(freeVariables('function f(a) { return a.b + c.d; }')).toEqual(['c']);
  });

  it('ignores property names, object keys, labels and declared names', () => {
    expect(
      freeVariables(
        'function f(a, {b, c: [d]}, ...rest) { const o = {key: a, [b]: d}; outer: for (let i = 0; i < 3; i++) { if (o.key) continue outer; } class K { m() {} } try {} catch (e) { return e; } return rest.length + K.name; }',
      ),
    ).toEqual([]);
  });

  it('sees shorthand properties and computed keys as references', () => {
    expect(freeVariables('() => ({ z, [k]: 1 })')).toEqual(['z', 'k']);
  });

  it('throws a SyntaxError for source that does not parse', () => {
    expect(() => freeVariables('not a function {')).toThrow(SyntaxError);
  });
});
