/**
 * Timeouts as Python's `multiprocessing` takes them: seconds, `undefined` or
 * `null` (or `Infinity`) for "wait for ever", a negative number for 0. One
 * check for every package, plus deadlines and a timer that never fires early
 * however long the wait (Node's `setTimeout` takes at most 2^31-1 ms and
 * turns anything longer into 1 ms).
 */

/** The longest delay `setTimeout` honours, in ms (about 24.8 days). */
export const kMaxTimerMs = 2 ** 31 - 1;

/** What a value is, for the message of a rejected timeout. */
function describe(value: unknown): string {
  if (typeof value === 'string') return `string '${value.length > 20 ? `${value.slice(0, 20)}…` : value}'`;
  if (typeof value === 'bigint') return `bigint ${String(value)}n`;
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return typeof value;
}

/**
 * A timeout in seconds as milliseconds: `undefined` for none (`undefined`,
 * `null`, `Infinity`), 0 for a negative value, else `timeout * 1000`.
 *
 * @throws {TypeError} naming `argName` when `timeout` is not a number (a
 *   string such as `'1'`, a bigint, a symbol, an object); Python raises
 *   `TypeError` for these too.
 * @throws {RangeError} naming `argName` when `timeout` is NaN (Python:
 *   `ValueError`).
 */
export function timeoutMs(timeout: unknown, argName = 'timeout'): number | undefined {
  if (timeout === undefined || timeout === null) return undefined;
  if (typeof timeout !== 'number') {
    throw new TypeError(
      `${argName} must be a number of seconds, null or undefined, got ${describe(timeout)}`,
    );
  }
  if (Number.isNaN(timeout)) throw new RangeError(`${argName} must be a number of seconds, got NaN`);
  if (timeout <= 0) return 0;
  const ms = timeout * 1000;
  return ms === Infinity ? undefined : ms;
}

/** A deadline in `performance.now()` time for a wait of `ms`, or undefined for none. */
export function deadlineAfter(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : performance.now() + ms;
}

/** Milliseconds left until `deadline` (never negative); undefined = no deadline. */
export function remainingMs(deadline: number | undefined): number | undefined {
  if (deadline === undefined) return undefined;
  const left = deadline - performance.now();
  return left > 0 ? left : 0;
}

/**
 * A wait limit for `Atomics.wait` / `Atomics.waitAsync`: they take any
 * number of ms, `Infinity` included, so no clamping is needed.
 */
export function atomicsTimeout(ms: number | undefined): number {
  return ms ?? Infinity;
}

/** A pending {@link startTimer}. */
export interface Timer {
  /** Stops it; `fn` will not run. Safe to call more than once. */
  clear(): void;
}

/** Options of {@link startTimer}. */
export interface TimerOptions {
  /** Do not keep the event loop alive for this timer. @default false */
  unref?: boolean;
}

const noTimer: Timer = { clear: () => undefined };

/**
 * Runs `fn` once, `ms` milliseconds from now, however large `ms` is: a
 * delay beyond {@link kMaxTimerMs} is waited in steps, re-armed until the
 * real deadline. `undefined` (no timeout) starts nothing.
 */
export function startTimer(ms: number | undefined, fn: () => void, options?: TimerOptions): Timer {
  if (ms === undefined) return noTimer;
  const unref = options?.unref === true;
  let left = ms;
  let handle: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    const step = Math.min(left, kMaxTimerMs);
    left -= step;
    handle = setTimeout(() => {
      if (left > 0) arm();
      else {
        handle = undefined;
        fn();
      }
    }, step);
    if (unref) handle.unref();
  };
  arm();
  return {
    clear: () => {
      if (handle !== undefined) clearTimeout(handle);
      handle = undefined;
    },
  };
}

/**
 * Settles as `promise` does, or with `onTimeout()` (its value, or its throw as
 * a rejection) after `ms` if `promise` is still pending then. The timer is
 * cleared when `promise` settles first. `undefined` waits for ever.
 */
export function raceTimeout<T, U>(
  promise: PromiseLike<T>,
  ms: number | undefined,
  onTimeout: () => U,
  options?: TimerOptions,
): Promise<T | U> {
  if (ms === undefined) return Promise.resolve(promise);
  return new Promise<T | U>((resolve, reject) => {
    const timer = startTimer(
      ms,
      () => {
        try {
          resolve(onTimeout());
        } catch (err) {
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on onTimeout's throw
          reject(err);
        }
      },
      options,
    );
    promise.then(
      (value) => {
        timer.clear();
        resolve(value);
      },
      (err: unknown) => {
        timer.clear();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on the caller's value unchanged
        reject(err);
      },
    );
  });
}

/** Resolves after `ms` (never early, however large); `undefined` never resolves. */
export function sleep(ms: number | undefined, options?: TimerOptions): Promise<void> {
  return new Promise((resolve) => {
    startTimer(ms, resolve, options);
  });
}

/** `ms` as seconds in a message: `0.2 s`. */
export function secondsText(ms: number): string {
  return `${String(Math.round(ms) / 1000)} s`;
}
