/**
 * The course's data set, an immutable list of scientists, transformed in
 * parallel with `pool.map` (Dan Bader, "Parallel computing in Python").
 */
import { Pool, moduleRef } from '@multiprocessing/pool';
import { print, tuple } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));

/** The data set: frozen, as Python's namedtuples are immutable. */
export const scientists: readonly poolTasks.Scientist[] = Object.freeze(
  [
    { name: 'Ada Lovelace', born: 1815 },
    { name: 'Emmy Noether', born: 1882 },
    { name: 'Marie Curie', born: 1867 },
    { name: 'Tu Youyou', born: 1930 },
    { name: 'Ada Yonath', born: 1939 },
    { name: 'Vera Rubin', born: 1928 },
    { name: 'Sally Ride', born: 1951 },
  ].map((s) => Object.freeze(s)),
);

export async function main(): Promise<void> {
  await using pool = new Pool();
  const result = await pool.map(tasks.processItem, scientists);
  print(tuple(...result));
}
