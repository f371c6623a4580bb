/**
 * The generic recipe: `pool.map(processData, inputData)` inside the
 * main-module guard, timed before and after. The guard matters when this
 * module is imported by a worker: its top-level code runs again there,
 * as under Python's spawn.
 */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { isMainProcess } from '@multiprocessing/process';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  if (!isMainProcess()) return;
  const inputData = Array.from({ length: 16 }, (_, i) => i + 1);
  const start = performance.now();
  await using pool = new Pool();
  const processedResults = await pool.map(tasks.processData, inputData);
  const executionTime = (performance.now() - start) / 1000;
  print(processedResults);
  print(`Execution time: ${executionTime.toFixed(3)} seconds`);
}
