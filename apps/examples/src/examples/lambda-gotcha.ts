/**
 * Python cannot pickle a lambda that closes over a variable; a function sent
 * to a worker here travels as source text and loses its closure the same
 * way. The pool refuses it in the caller, with a PicklingError that names
 * the variable and the fix, instead of a hang or a ReferenceError in a worker.
 */
import { PicklingError, Pool, moduleRef } from '@multiprocessing/pool';
import { print, tuple } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';
import { scientists } from './scientists-map.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

export async function main(): Promise<void> {
  await using pool = new Pool({ processes: 2 });
  const thisYear = 2017;
  try {
    await pool.map((s: poolTasks.Scientist) => ({ name: s.name, age: thisYear - s.born }), scientists);
  } catch (err) {
    if (!(err instanceof PicklingError)) throw err;
    print(`${err.name}: ${err.message}`);
  }
  // The fix: a function exported from a module, passed by reference.
  const result = await pool.map(tasks.processItem, scientists);
  print('With a module function:', tuple(...result.slice(0, 2)), '…');
}
