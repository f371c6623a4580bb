/**
 * `Value('i', 1)`: one process adds 1 ten thousand times, another subtracts
 * 1 ten thousand times, with no lock. `v.value += 1` is a read then a write,
 * so updates get lost and the result is usually not 1.
 */
import { Process, moduleRef } from '@multiprocessing/process';
import { Barrier, Value } from '@multiprocessing/value-lock';
import { print } from '../repr.js';
import type * as valueLockTasks from '../tasks/value-lock.js';

const tasks = moduleRef<typeof valueLockTasks>(new URL('../tasks/value-lock.js', import.meta.url));

export async function main(): Promise<void> {
  const value = new Value('i', 1);
  const start = new Barrier(2); // so both loops run at the same time
  const adder = new Process({ target: tasks.addUnlocked, args: [value, 1, 10_000, start] });
  const subtracter = new Process({ target: tasks.addUnlocked, args: [value, -1, 10_000, start] });
  adder.start();
  subtracter.start();
  await adder.join();
  await subtracter.join();
  print(`Value is ${String(value.value)} (without a lock, lost updates make this vary)`);
}
