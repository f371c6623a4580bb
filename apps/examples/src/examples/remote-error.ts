/**
 * A task that throws in a worker (the course's comment: `'str' object has no
 * attribute 'field'`). The call rejects in the caller with the same error
 * class and message, and its stack is the worker's.
 */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';
import { scientists } from './scientists-map.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  await using pool = new Pool({ processes: 2 });
  try {
    await pool.map(tasks.transform, scientists);
  } catch (err) {
    const error = err as Error;
    print(`${error.name}: ${error.message}`);
    print('Stack from the worker:');
    print(error.stack ?? '');
  }
}
