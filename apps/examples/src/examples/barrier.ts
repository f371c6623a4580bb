/**
 * `Barrier(3)`: three processes wait for one another; the action runs once,
 * in the last to arrive, before any is released. Each gets a distinct index.
 */
import { Process, moduleRef } from '@multiprocessing/process';
import { Barrier, SharedArray } from '@multiprocessing/value-lock';
import { print } from '../repr.js';
import type * as valueLockTasks from '../tasks/value-lock.js';

const tasks = moduleRef<typeof valueLockTasks>(new URL('../tasks/value-lock.js', import.meta.url));

export async function main(): Promise<void> {
  const barrier = new Barrier(3, {
    action: () => {
      console.log('All 3 parties arrived');
    },
  });
  const indexes = new SharedArray('i', [-1, -1, -1]);
  const parties = [0, 1, 2].map(
    (slot) => new Process({ target: tasks.meetAtBarrier, args: [barrier, indexes, slot] }),
  );
  for (const p of parties) p.start();
  for (const p of parties) await p.join();
  print('Indexes:', indexes.toArray().sort());
}
