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

/** setTimeout accepts at most 2^31-1 ms; longer waits are "for ever". */
export const kMaxTimerMs = 2 ** 31 - 1;

/** `timeout` seconds as the text of a message. */
export function secondsText(ms: number): string {
  return `${String(Math.round(ms) / 1000)} s`;
}
