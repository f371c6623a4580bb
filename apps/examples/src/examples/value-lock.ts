/**
 * The value-race example made correct: a `Lock` around each change, once in
 * the acquire/release form and once in the scoped form (`using`, Python's
 * `with lock:`).
 */
import { Process, moduleRef } from '@multiprocessing/process';
import { Lock, Value } from '@multiprocessing/value-lock';
import { print } from '../repr.js';
import type * as valueLockTasks from '../tasks/value-lock.js';

const tasks = moduleRef<typeof valueLockTasks>(new URL('../tasks/value-lock.js', import.meta.url));

export async function main(): Promise<void> {
  const value = new Value('i', 1);
  const lock = new Lock();
  const adder = new Process({ target: tasks.addWithAcquireRelease, args: [value, lock, 1, 10_000] });
  const subtracter = new Process({ target: tasks.addWithScopedLock, args: [value, lock, -1, 10_000] });
  adder.start();
  subtracter.start();
  await adder.join();
  await subtracter.join();
  print(`Value is ${String(value.value)}`);
}
