/**
 * Timeouts in seconds, as in Python (DESIGN.md §4): `undefined` or `null`
 * means none, a negative timeout means 0.
 */

/** Milliseconds for a timeout given in seconds, or undefined for none. */
export function timeoutMs(timeout: unknown, argName = 'timeout'): number | undefined {
  if (timeout === undefined || timeout === null) return undefined;
  if (typeof timeout !== 'number' || Number.isNaN(timeout)) {
    throw new TypeError(`${argName} must be a number of seconds, null or undefined`);
  }
  if (timeout === Infinity) return undefined;
  return timeout <= 0 ? 0 : timeout * 1000;
}

/**
 * A rejected promise with `reason` as it is: errors of tasks and of user
 * code are passed on unchanged (they may be any value a user threw).
 */
export function rejected(reason: unknown): Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on the caller's value unchanged
  return Promise.reject(reason);
}

/** setTimeout accepts at most 2^31-1 ms; longer waits are "for ever". */
export const kMaxTimerMs = 2 ** 31 - 1;

/** `timeout` seconds as the text of a message. */
export function secondsText(ms: number): string {
  return `${String(Math.round(ms) / 1000)} s`;
}
