/** Turning a synchronous throw into a rejection, for Promise-returning APIs. */

/** A promise rejected with `err`, exactly as it was thrown. */
export function rejectWith(err: unknown): Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rethrows what was thrown, unchanged
  return Promise.reject(err);
}
