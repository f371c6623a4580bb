/**
 * The same function run once by a `Process` (start, join) and over a list by
 * a `Pool`: direct processes give control, a pool is simpler for many
 * similar tasks.
 */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { Process } from '@multiprocessing/process';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  const p = new Process({ target: tasks.describeSquare, args: [7] });
  p.start();
  await p.join();
  print(`Process exit code: ${String(p.exitcode)}`);

  const pool = new Pool({ processes: 2 });
  const results = await pool.map(tasks.describeSquare, [1, 2, 3]);
  pool.close();
  await pool.join();
  print('Pool results:', results);
}
