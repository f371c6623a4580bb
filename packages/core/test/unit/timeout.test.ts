// One timeout rule for every package: seconds to ms, no timeout for
// undefined/null/Infinity, 0 for negatives, one error shape for bad values,
// and a timer that waits past setTimeout's 2^31-1 ms limit without firing early.
import { jest } from '@jest/globals';
import {
  atomicsTimeout,
  deadlineAfter,
  kMaxTimerMs,
  raceTimeout,
  remainingMs,
  sleep,
  startTimer,
  timeoutMs,
} from '../../src/internal/index.js';

describe('timeoutMs', () => {
  it.each([
    [undefined, undefined],
    [null, undefined],
    [Infinity, undefined],
    [1e308, undefined],
    [-1, 0],
    [-Infinity, 0],
    [0, 0],
    [-0, 0],
    [0.2, 200],
    [1e6, 1e9],
    [1e12, 1e15],
  ])('%p seconds is %p ms', (seconds, ms) => {
    expect(timeoutMs(seconds)).toBe(ms);
  });

  it.each([
    ['1', "string '1'"],
    [1n, 'bigint 1n'],
    [Symbol('s'), 'symbol'],
    [{}, 'an object'],
    [[1], 'an array'],
    [true, 'boolean'],
    [() => 1, 'function'],
  ])('refuses %p with a TypeError naming the argument', (value, shown) => {
    expect(() => timeoutMs(value, 'shutdownTimeout')).toThrow(
      new TypeError(`shutdownTimeout must be a number of seconds, null or undefined, got ${shown}`),
    );
  });

  it('refuses NaN with a RangeError naming the argument', () => {
    expect(() => timeoutMs(NaN)).toThrow(new RangeError('timeout must be a number of seconds, got NaN'));
  });
});

describe('deadlines', () => {
  it('has none for no timeout, and never a negative remainder', () => {
    expect(deadlineAfter(undefined)).toBeUndefined();
    expect(remainingMs(undefined)).toBeUndefined();
    expect(remainingMs(performance.now() - 1000)).toBe(0);
    const left = remainingMs(deadlineAfter(1e15));
    expect(left).toBeGreaterThan(1e15 - 1000);
  });

  it('gives Atomics.wait Infinity for no timeout', () => {
    expect(atomicsTimeout(undefined)).toBe(Infinity);
    expect(atomicsTimeout(5)).toBe(5);
  });
});

describe('startTimer', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('arms setTimeout with at most 2^31-1 ms and re-arms until the real deadline', () => {
    const spy = jest.spyOn(globalThis, 'setTimeout');
    const fn = jest.fn();
    startTimer(3 * kMaxTimerMs + 5, fn);
    expect(spy.mock.calls.every((call) => call[1]! <= kMaxTimerMs)).toBe(true);
    jest.advanceTimersByTime(kMaxTimerMs);
    expect(fn).not.toHaveBeenCalled();
    jest.advanceTimersByTime(2 * kMaxTimerMs);
    expect(fn).not.toHaveBeenCalled();
    jest.advanceTimersByTime(4);
    expect(fn).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls.every((call) => call[1]! <= kMaxTimerMs)).toBe(true);
    spy.mockRestore();
  });

  it('does not fire for 1e12 seconds over a year of fake time', () => {
    const fn = jest.fn();
    const timer = startTimer(timeoutMs(1e12), fn);
    jest.advanceTimersByTime(366 * 24 * 3600 * 1000);
    expect(fn).not.toHaveBeenCalled();
    timer.clear();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('fires a short timer once, and a cleared one never', () => {
    const fired = jest.fn();
    const cleared = jest.fn();
    startTimer(200, fired);
    startTimer(200, cleared).clear();
    jest.advanceTimersByTime(199);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    expect(cleared).not.toHaveBeenCalled();
  });

  it('clears a re-armed timer', () => {
    const fn = jest.fn();
    const timer = startTimer(kMaxTimerMs + 10, fn);
    jest.advanceTimersByTime(kMaxTimerMs);
    timer.clear();
    jest.advanceTimersByTime(100);
    expect(fn).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('starts nothing without a timeout', () => {
    startTimer(undefined, () => undefined).clear();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('unrefs its handle when asked, and only then', () => {
    jest.useRealTimers();
    const spy = jest.spyOn(globalThis, 'setTimeout');
    const quiet = startTimer(kMaxTimerMs + 10, () => undefined, { unref: true });
    const loud = startTimer(kMaxTimerMs + 10, () => undefined);
    const handles = spy.mock.results.map((r) => r.value as NodeJS.Timeout);
    expect(handles.map((h) => h.hasRef())).toEqual([false, true]);
    quiet.clear();
    loud.clear();
    spy.mockRestore();
  });
});

describe('raceTimeout and sleep', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('settles with onTimeout after the time, or with the promise first', async () => {
    const never = new Promise<string>(() => undefined);
    const timedOut = raceTimeout(never, 200, () => 'late');
    jest.advanceTimersByTime(200);
    await expect(timedOut).resolves.toBe('late');
    const first = raceTimeout(Promise.resolve('first'), 200, () => 'late');
    await expect(first).resolves.toBe('first');
    await Promise.resolve();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with what onTimeout throws', async () => {
    const raced = raceTimeout(new Promise(() => undefined), 0, () => {
      throw new Error('too late');
    });
    jest.advanceTimersByTime(1);
    await expect(raced).rejects.toThrow('too late');
  });

  it('waits for ever without a timeout, beyond the timer limit', async () => {
    let resolve!: (v: string) => void;
    const later = new Promise<string>((r) => (resolve = r));
    let settled = false;
    const raced = raceTimeout(later, timeoutMs(1e12), () => 'late').then((v) => {
      settled = true;
      return v;
    });
    const forever = raceTimeout(later, undefined, () => 'late');
    jest.advanceTimersByTime(10 * kMaxTimerMs);
    await Promise.resolve();
    expect(settled).toBe(false);
    resolve('done');
    await expect(raced).resolves.toBe('done');
    await expect(forever).resolves.toBe('done');
  });

  it('sleeps the whole time', async () => {
    let woke = false;
    const slept = sleep(kMaxTimerMs + 1).then(() => (woke = true));
    jest.advanceTimersByTime(kMaxTimerMs);
    await Promise.resolve();
    expect(woke).toBe(false);
    jest.advanceTimersByTime(1);
    await slept;
    expect(woke).toBe(true);
  });
});
