/**
 * The course's testbed: the same transformation, deliberately slow (about a
 * second per item), timed serially and then on a pool with one worker per
 * core. The parallel time is about the serial time divided by the cores.
 */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { cpuCount } from '@multiprocessing/process';
import { print, repr } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';
import { slowProcessItem } from '../tasks/pool.js';
import { scientists } from './scientists-map.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  let start = performance.now();
  const serial = [];
  for (const item of scientists) serial.push(await slowProcessItem(item));
  print(`Serial: time to complete: ${((performance.now() - start) / 1000).toFixed(2)} s`);

  start = performance.now();
  await using pool = new Pool({ processes: cpuCount() });
  const parallel = await pool.map(tasks.slowProcessItem, scientists);
  print(
    `Parallel on ${String(cpuCount())} workers: time to complete: ${((performance.now() - start) / 1000).toFixed(2)} s`,
  );
  print('Results equal:', repr(serial) === repr(parallel));
}
