/** Bounded waits for integration tests: a bug fails instead of hanging. */
export function within<T>(promise: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} did not settle within ${String(ms)} ms`));
    }, ms);
  });
  return Promise.race([promise, limit]).finally(() => {
    clearTimeout(timer);
  });
}

/** Resolves to the error a promise rejects with (fails if it resolves). */
export async function rejection(promise: Promise<unknown>, ms = 10_000): Promise<Error & { code?: string }> {
  try {
    await within(promise, ms);
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}
