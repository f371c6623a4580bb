/** `Pool(2).starmap(calcProduct, [[1, 2, 3], [3, 4, 5]])`. */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  const p = new Pool({ processes: 2 });
  const result = await p.starmap(tasks.calcProduct, [
    [1, 2, 3],
    [3, 4, 5],
  ]);
  p.close();
  await p.join();
  print('Result is:', result);
}
