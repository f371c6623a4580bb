/** `Pool(4).map(square, range(10))`. */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  await using pool = new Pool({ processes: 4 });
  const results = await pool.map(
    tasks.square,
    Array.from({ length: 10 }, (_, i) => i),
  );
  print(results);
}
