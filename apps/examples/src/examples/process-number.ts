/** A real example: several operations per number, on `Pool(4)`. */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  const numbers = [10, 15, 20, 25, 30, 35, 40];
  await using pool = new Pool({ processes: 4 });
  const results = await pool.map(tasks.processNumber, numbers);
  for (const r of results) {
    print(`Number: ${String(r.input)}, Fib: ${String(r.fib)}, Sqrt: ${r.sqrt.toFixed(2)}`);
  }
}
