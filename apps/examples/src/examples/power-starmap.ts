/** Several arguments per call: `pool.starmap(power, [[2, 3], [3, 3], [4, 3]])`. */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  await using pool = new Pool({ processes: 4 });
  const results = await pool.starmap(tasks.power, [
    [2, 3],
    [3, 3],
    [4, 3],
  ]);
  print(results);
}
