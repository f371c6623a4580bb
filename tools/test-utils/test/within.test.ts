// until: polls until a check holds, within a bound, and leaves no timer behind.
import { jest } from '@jest/globals';
import { until } from '../src/index.js';

describe('until', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('resolves once the check returns true, calling it at once and then between waits', async () => {
    let calls = 0;
    await until(() => ++calls === 3, 'the third call', 10_000, 1);
    expect(calls).toBe(3);
    await until(() => ++calls > 0, 'a check true at once');
    expect(calls).toBe(4);
  });

  it('rejects naming what it waited for once the bound passes, then calls the check no more', async () => {
    jest.useFakeTimers();
    let calls = 0;
    const waited = until(() => (calls++, false), 'the flag', 100, 10);
    const rejected = expect(waited).rejects.toThrow(new Error('the flag did not settle within 100 ms'));
    await jest.advanceTimersByTimeAsync(100);
    await rejected;
    expect(calls).toBeGreaterThan(1);
    expect(jest.getTimerCount()).toBe(0);
    const after = calls;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(after);
  });

  it('rejects with what the check throws, an Error made of anything else', async () => {
    await expect(
      until(() => {
        throw new TypeError('no state');
      }, 'x'),
    ).rejects.toThrow(new TypeError('no state'));
    await expect(
      until(() => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a check that throws a non-Error
        throw 'plain';
      }, 'x'),
    ).rejects.toThrow(new Error('plain'));
  });

  it('refuses a bound or an interval that is not a positive number', async () => {
    await expect(until(() => true, 'x', 0)).rejects.toThrow(
      new RangeError('ms must be a positive number, got 0'),
    );
    await expect(until(() => true, 'x', Infinity)).rejects.toThrow(
      new RangeError('ms must be a positive number, got Infinity'),
    );
    await expect(until(() => true, 'x', 100, -1)).rejects.toThrow(
      new RangeError('everyMs must be a positive number, got -1'),
    );
    await expect(until(() => true, 'x', 100, NaN)).rejects.toThrow(
      new RangeError('everyMs must be a positive number, got NaN'),
    );
  });
});
