// What the workers run. Types only from the packages: the shareables arrive
// live all the same.
import type { Queue } from '@multiprocessing/queue';
import type { Value } from '@multiprocessing/value-lock';
import type { DictProxy } from '@multiprocessing/manager';

export const square = (x: number): number => x * x;

export function produce(queue: Queue<number>, n: number): void {
  for (let i = 0; i < n; i++) queue.putSync(i);
}

export function count(counter: Value<'i'>, times: number): void {
  for (let i = 0; i < times; i++) {
    const held = counter.getLock().holdSync();
    try {
      counter.value += 1;
    } finally {
      held[Symbol.dispose]();
    }
  }
}

export async function record(dict: DictProxy<string, number[]>, key: string): Promise<void> {
  await dict.set(key, [1, 2]);
}
