/**
 * `JoinableQueue`: three worker processes take numbers from a joinable
 * queue, square them and mark each task done; the parent waits with
 * `join()` until every task is done, then stops the workers.
 */
import { Process, moduleRef } from '@multiprocessing/process';
import { JoinableQueue, Queue } from '@multiprocessing/queue';
import { print, tuple } from '../repr.js';
import type * as queueTasks from '../tasks/queue.js';

const tasks = moduleRef<typeof queueTasks>(new URL('../tasks/queue.js', import.meta.url));

export async function main(): Promise<void> {
  const jobs = new JoinableQueue<number | null>();
  const results = new Queue<[number, number]>();
  const workers = Array.from(
    { length: 3 },
    () => new Process({ target: tasks.squareWorker, args: [jobs, results] }),
  );
  for (const w of workers) w.start();
  for (let n = 1; n <= 10; n++) await jobs.put(n);
  await jobs.join();
  print('all tasks done; results waiting:', results.qsize());
  const squares: [number, number][] = [];
  while (!results.empty()) squares.push(await results.get());
  squares.sort((a, b) => a[0] - b[0]);
  print(
    'squares:',
    squares.map(([n, sq]) => tuple(n, sq)),
  );
  for (const _ of workers) await jobs.put(null);
  await jobs.join();
  for (const w of workers) await w.join();
  print(
    'workers exited:',
    workers.map((w) => w.exitcode),
  );
}
