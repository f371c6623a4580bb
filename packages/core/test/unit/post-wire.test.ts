import { FullError, PicklingError } from '../../src/index.js';
import { fromPostable, toPostable } from '../../src/internal/index.js';

describe(toPostable, () => {
  it('leaves plain data untouched and says so', () => {
    const value = { a: [1, 2, { b: 'c' }], m: new Map([[1, 2]]) };
    const out = toPostable(value);
    expect(out.plain).toBe(true);
    expect(out.value).toBe(value);
    expect(toPostable(5)).toEqual({ value: 5, transfer: [], plain: true });
  });

  it('keeps error classes across structured clone', () => {
    const out = toPostable({ errs: [new FullError('full'), new TypeError('t')] });
    expect(out.plain).toBe(false);
    const back = fromPostable(structuredClone(out.value)) as { errs: Error[] };
    expect(back.errs[0]).toBeInstanceOf(FullError);
    expect(back.errs[1]).toBeInstanceOf(TypeError);
  });

  it('refuses a function with a PicklingError naming the path', () => {
    expect(() => toPostable([1, { cb: () => 0 }], 'args')).toThrow(PicklingError);
    expect(() => toPostable([1, { cb: () => 0 }], 'args')).toThrow(/at args\[1\]\.cb/);
  });

  it('does not change the input', () => {
    const value = { e: new Error('x') };
    toPostable(value);
    expect(value.e).toBeInstanceOf(Error);
  });
});
