/**
 * A `Process` puts the even numbers of range(100) on a `Queue`; the parent
 * joins it, then gets and prints what is on the queue. (Python's version
 * can deadlock when a child's queued data is large and the parent joins
 * before reading; here a put resolves with the item already in shared
 * memory, and a child in another OS process hands its puts to the queue's
 * owner before it exits, so joining first is safe.)
 */
import { Process, moduleRef } from '@multiprocessing/process';
import { Queue } from '@multiprocessing/queue';
import { print } from '../repr.js';
import type * as queueTasks from '../tasks/queue.js';

const tasks = moduleRef<typeof queueTasks>(new URL('../tasks/queue.js', import.meta.url));

export async function main(): Promise<void> {
  const q = new Queue<number[]>();
  const p = new Process({ target: tasks.getEven, args: [Array.from({ length: 100 }, (_, i) => i), q] });
  p.start();
  await p.join();
  // Display the contents of the queue until it is empty.
  while (!q.empty()) print('Queue:', await q.get());
}
