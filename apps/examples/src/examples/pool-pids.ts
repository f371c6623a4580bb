/**
 * `Pool(4).map(computeSquares, range(12))`, each call printing which worker
 * computes which number: four workers, each reused. (Python prints pids;
 * threads share one pid, so the worker's name tells them apart.)
 */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  const p = new Pool({ processes: 4 });
  const result = await p.map(
    tasks.computeSquares,
    Array.from({ length: 12 }, (_, i) => i),
  );
  // close + join: the workers' output is flushed once they have exited.
  p.close();
  await p.join();
  print(`Result is: ${JSON.stringify(result).replaceAll(',', ', ')}`);
}
