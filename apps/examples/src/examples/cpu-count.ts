/** `Pool(cpuCount())`: one worker per core, the usual size. */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { cpuCount } from '@multiprocessing/process';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  const count = cpuCount();
  print(`CPU count: ${String(count)}`);
  await using pool = new Pool({ processes: count });
  print(`Pool of ${String(pool.processes)} workers:`, await pool.map(tasks.square, [1, 2, 3, 4]));
}
