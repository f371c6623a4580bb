/**
 * A `Manager().dict()` and `Manager().list()` changed by a child process
 * (Python docs, "Managers"). Keys keep their types (`1`, `'2'`, `0.25`);
 * what a proxy returns is a copy.
 */
import { Manager } from '@multiprocessing/manager';
import { Process, moduleRef } from '@multiprocessing/process';
import { print } from '../repr.js';
import type * as managerTasks from '../tasks/manager.js';

const tasks = moduleRef<typeof managerTasks>(new URL('../tasks/manager.js', import.meta.url));

export async function main(): Promise<void> {
  await using manager = await Manager();
  const d = await manager.dict<number | string, string | number | null>();
  const l = await manager.list<number>(Array.from({ length: 10 }, (_, i) => i));
  const p = new Process({ target: tasks.fillDict, args: [d, l] });
  p.start();
  await p.join();
  print(await d.toMap());
  print(await l.toArray());
}
