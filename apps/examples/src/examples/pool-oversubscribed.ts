/**
 * A pool with more workers than cores (`processes: scientists.length`): the
 * pool starts exactly that many, and the operating system shares the cores
 * between them.
 */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { cpuCount } from '@multiprocessing/process';
import { print, tuple } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';
import { scientists } from './scientists-map.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  await using pool = new Pool({ processes: scientists.length });
  const result = await pool.map(tasks.processItem, scientists, { chunksize: 1 });
  print(`${String(pool.stats().workers)} workers on ${String(cpuCount())} cores`);
  print(tuple(...result));
}
