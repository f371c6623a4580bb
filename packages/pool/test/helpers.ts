/** Shared helpers of the pool integration tests. */
import { moduleRef } from '@multiprocessing/pool';

/** The tasks fixture, typed loosely (it is plain JS). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const tasks = moduleRef<Record<string, (...args: any[]) => any>>(new URL('./fixtures/tasks.mjs', import.meta.url));

export const startMethods = ['thread', 'process'] as const;

/** Resolves when `predicate()` is true, checking on every turn of the event loop; rejects after `ms`. */
export async function until(predicate: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`condition not met within ${String(ms)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
