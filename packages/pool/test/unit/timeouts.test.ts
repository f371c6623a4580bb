import { timeoutMs } from '../../src/internal/timeouts.js';

describe('timeouts in seconds', () => {
  it('maps undefined and null to none, a negative timeout to 0', () => {
    expect(timeoutMs(undefined)).toBeUndefined();
    expect(timeoutMs(null)).toBeUndefined();
    expect(timeoutMs(Infinity)).toBeUndefined();
    expect(timeoutMs(1.5)).toBe(1500);
    expect(timeoutMs(-3)).toBe(0);
    expect(timeoutMs(0)).toBe(0);
  });

  it('refuses what is not a number', () => {
    expect(() => timeoutMs('1')).toThrow(TypeError);
    expect(() => timeoutMs(Number.NaN)).toThrow(TypeError);
  });
});
