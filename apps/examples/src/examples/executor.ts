/**
 * The `concurrent.futures` way: `submit` returns a Future, `map` yields
 * results in order, `shutdown` waits for the work (and `await using` does
 * it for you, as Python's `with`).
 */
import { ProcessPoolExecutor, moduleRef } from '@multiprocessing/pool';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  const executor = new ProcessPoolExecutor({ maxWorkers: 2 });
  const future = executor.submit(tasks.slowSquare, 12);
  print('submitted; done yet?', future.done());
  print('result:', await future.result());
  print('done now?', future.done());

  const squares: number[] = [];
  for await (const value of executor.map(tasks.square, [1, 2, 3, 4, 5])) squares.push(value);
  print('map:', squares);

  const futures = [3, 4, 5].map((n) => executor.submit(tasks.power, 2, n));
  await executor.shutdown({ wait: true });
  print('after shutdown:', await Promise.all(futures));
  try {
    executor.submit(tasks.square, 1);
  } catch (err) {
    print(`${(err as Error).name}: ${(err as Error).message}`);
  }
}
