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

/**
 * Resolves once `check()` returns true, calling it at once and then every `everyMs`; rejects, naming `what`,
 * when `ms` pass first, or with what `check` throws. It stops polling as soon as it settles. For a state
 * that sends no event (a process list, a counter); wait for an event with {@link within} instead.
 */
export async function until(check: () => boolean, what: string, ms = 10_000, everyMs = 10): Promise<void> {
  if (!(ms > 0) || !Number.isFinite(ms))
    throw new RangeError(`ms must be a positive number, got ${String(ms)}`);
  if (!(everyMs > 0) || !Number.isFinite(everyMs)) {
    throw new RangeError(`everyMs must be a positive number, got ${String(everyMs)}`);
  }
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  try {
    await within(
      new Promise<void>((resolve, reject) => {
        const poll = (): void => {
          if (stopped) return;
          try {
            if (check()) resolve();
            else timer = setTimeout(poll, everyMs);
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        };
        poll();
      }),
      ms,
      what,
    );
  } finally {
    stopped = true;
    clearTimeout(timer);
  }
}
