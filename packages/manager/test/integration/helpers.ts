/** Bounded waits for integration tests: a bug fails instead of hanging. */
import { within } from '@multiprocessing/test-utils';

export { within };

/** Resolves to the error a promise rejects with; fails if it resolves, or if it is still pending after `ms`. */
export async function rejection(promise: Promise<unknown>, ms = 10_000): Promise<Error & { code?: string }> {
  const outcome = await within(
    promise.then(
      () => ({ rejected: false as const }),
      (error: unknown) => ({ rejected: true as const, error }),
    ),
    ms,
    'the call expected to reject',
  );
  if (!outcome.rejected) throw new Error('expected a rejection');
  return outcome.error as Error & { code?: string };
}
