/** What the child processes run. The Queue, the Value and the Event arrive as live objects of the parent. */
import type { Queue } from '@multiprocessing/queue';
import type { Event, Value } from '@multiprocessing/value-lock';

/** Puts `n` numbered items, then waits for the parent's go before counting them in `total`. */
export async function produce(
  q: Queue<[string, number]>,
  total: Value<'i'>,
  go: Event,
  name: string,
  n: number,
): Promise<void> {
  for (let i = 0; i < n; i++) await q.put([name, i]);
  await go.wait(30);
  await total.withLock(() => {
    total.value += n;
  });
}
