import { pyCompare, pyEquals, pyRepr } from '../../src/internal/py.js';

describe('parity: Python ordering and equality', () => {
  it('orders numbers numerically, strings by code point and lists element by element', () => {
    expect([10, 9, 1, 2.5, 100].sort(pyCompare)).toEqual([1, 2.5, 9, 10, 100]);
    expect(['b', 'B', 'a', 'ab'].sort(pyCompare)).toEqual(['B', 'a', 'ab', 'b']);
    expect([[1, 2], [1], [0, 9]].sort(pyCompare)).toEqual([[0, 9], [1], [1, 2]]);
    expect(pyCompare(1n, 2)).toBe(-1);
  });

  it("throws Python's TypeError for a mixed comparison", () => {
    expect(() => pyCompare('a', 1)).toThrow("'<' not supported between instances of 'str' and 'int'");
  });

  it('compares plain data by value', () => {
    expect(pyEquals({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(pyEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(pyEquals(new Map([[1, 'x']]), new Map([[1, 'x']]))).toBe(true);
    expect(pyEquals(1n, 1)).toBe(true);
    expect(pyEquals([1], { 0: 1 })).toBe(false);
  });

  it('writes reprs like Python', () => {
    expect(pyRepr("it's")).toBe("'it\\'s'");
    expect(pyRepr([1, 'a', null])).toBe("[1, 'a', None]");
  });
});
