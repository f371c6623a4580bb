/** Shared helpers of the pool integration tests. */
import { moduleRef } from '@multiprocessing/pool';
import type * as TasksModule from './fixtures/tasks.mjs';

/** The task functions of fixtures/tasks.mjs (typed by tasks.d.mts). */
export const tasks = moduleRef<typeof TasksModule>(new URL('./fixtures/tasks.mjs', import.meta.url));

export const startMethods = ['thread', 'process'] as const;

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export { within } from '@multiprocessing/test-utils';

/** Every value of `it`, in order (bound the wait with `within`). */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
