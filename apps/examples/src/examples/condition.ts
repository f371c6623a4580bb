/**
 * `Condition`: three consumer processes wait until items are available; the
 * main process produces three and notifies them all.
 */
import { Process, moduleRef } from '@multiprocessing/process';
import { Condition, Value } from '@multiprocessing/value-lock';
import { print } from '../repr.js';
import type * as valueLockTasks from '../tasks/value-lock.js';

const tasks = moduleRef<typeof valueLockTasks>(new URL('../tasks/value-lock.js', import.meta.url));

export async function main(): Promise<void> {
  const cond = new Condition();
  const available = new Value('i', 0, { lock: false });
  const consumed = new Value('i', 0, { lock: false });
  const consumers = Array.from(
    { length: 3 },
    () => new Process({ target: tasks.consume, args: [cond, available, consumed] }),
  );
  for (const p of consumers) p.start();
  await cond.withLock(() => {
    available.value = 3;
    print('Producer: 3 items ready, notifying all consumers');
    cond.notifyAll();
  });
  for (const p of consumers) await p.join();
  print(`Consumed: ${String(consumed.value)}, left: ${String(available.value)}`);
}
