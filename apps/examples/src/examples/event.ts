/**
 * `Event`: two processes wait until the main process sets the event.
 */
import { Process, moduleRef } from '@multiprocessing/process';
import { Event } from '@multiprocessing/value-lock';
import { print, repr } from '../repr.js';
import type * as valueLockTasks from '../tasks/value-lock.js';

const tasks = moduleRef<typeof valueLockTasks>(new URL('../tasks/value-lock.js', import.meta.url));

export async function main(): Promise<void> {
  const event = new Event();
  const waiters = Array.from({ length: 2 }, () => new Process({ target: tasks.waitForEvent, args: [event] }));
  for (const p of waiters) p.start();
  print(`Event is set: ${repr(event.isSet())}`);
  print('Main process: setting the event');
  event.set();
  for (const p of waiters) await p.join();
  print(`Event is set: ${repr(event.isSet())}`);
}
