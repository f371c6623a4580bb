/**
 * A `Value('i', 0)` and a `Lock`: 4 processes each add 1 a thousand times
 * under the lock. Python: `multiprocessing.Value` + `Lock`.
 */
import { Process, moduleRef } from '@multiprocessing/process';
import { Lock, Value } from '@multiprocessing/value-lock';
import { print } from '../repr.js';
import type * as valueLockTasks from '../tasks/value-lock.js';

const tasks = moduleRef<typeof valueLockTasks>(new URL('../tasks/value-lock.js', import.meta.url));

export async function main(): Promise<void> {
  const counter = new Value('i', 0);
  const lock = new Lock();
  const processes = Array.from(
    { length: 4 },
    () => new Process({ target: tasks.addOneUnderLock, args: [counter, lock, 1000] }),
  );
  for (const p of processes) p.start();
  for (const p of processes) await p.join();
  print(`Final counter: ${String(counter.value)}`);
}
