/**
 * `Semaphore(2)`: four processes share two slots, so never more than two
 * work at once.
 */
import { Process, moduleRef } from '@multiprocessing/process';
import { Semaphore, Value } from '@multiprocessing/value-lock';
import { print, repr } from '../repr.js';
import type * as valueLockTasks from '../tasks/value-lock.js';

const tasks = moduleRef<typeof valueLockTasks>(new URL('../tasks/value-lock.js', import.meta.url));

export async function main(): Promise<void> {
  const slots = new Semaphore(2);
  const inside = new Value('i', 0);
  const most = new Value('i', 0);
  const workers = Array.from(
    { length: 4 },
    () => new Process({ target: tasks.useSlot, args: [slots, inside, most] }),
  );
  for (const p of workers) p.start();
  for (const p of workers) await p.join();
  print(`4 processes shared 2 slots; never more than 2 inside at once: ${repr(most.value <= 2)}`);
  print(`Slots free at the end: ${String(slots.getValue())}`);
}
