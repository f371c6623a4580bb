/**
 * A rejected promise that carries any value as it is: errors of tasks and of
 * user code are passed on unchanged (they may be any value a user threw).
 */

/** A promise rejected with `reason`, unchanged. */
export function rejected(reason: unknown): Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on the caller's value unchanged
  return Promise.reject(reason);
}
