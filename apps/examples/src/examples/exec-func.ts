/**
 * Several arguments through `map`: an intermediate function unpacks each
 * argument array for the three-argument function (the course's workaround
 * before starmap).
 */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  const p = new Pool({ processes: 4 });
  const result = await p.map(tasks.execFunc, [
    [1, 2, 3],
    [3, 4, 5],
  ]);
  p.close();
  await p.join();
  print('Result is:', result);
}
