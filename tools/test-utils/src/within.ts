/** Bounded waits: a test never waits for ever. */

/** Resolves or rejects as `promise` does, or rejects once `ms` have passed, naming `what`. */
export function within<T>(promise: PromiseLike<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} did not settle within ${String(ms)} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/** {@link within}, with the bound in seconds. */
export function withinSeconds<T>(promise: PromiseLike<T>, seconds: number, what: string): Promise<T> {
  return within(promise, seconds * 1000, what);
}
