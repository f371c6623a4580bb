import { Pool, WorkerLostError, moduleRef } from '@multiprocessing/pool';
import type * as Tasks from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));

await using pool = new Pool({ processes: 2 });

// Three calls at once: one crashes its worker, one throws, one maps over 12 items.
const [crashed, thrown, squares] = await Promise.allSettled([
  pool.apply(tasks.crash, [3]),
  pool.apply(tasks.fail, ['-1']),
  pool.map(tasks.square, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { chunksize: 1 }),
]);

if (crashed.status === 'rejected' && crashed.reason instanceof WorkerLostError) {
  const err = crashed.reason;
  console.log(`crash(3): ${err.name}: ${err.message}`);
  console.log(`  exitcode: ${String(err.exitcode)}, workerName: ${err.workerName}`);
}
if (thrown.status === 'rejected') {
  const err = thrown.reason as Error;
  console.log(`fail('-1'): ${err.name}: ${err.message}`);
}
if (squares.status === 'fulfilled') console.log(`map: ${JSON.stringify(squares.value)}`);

// The pool replaced the lost worker and goes on.
console.log(`after: ${JSON.stringify(await pool.map(tasks.square, [13, 14, 15]))}`);
const { workers, workersStarted, failed } = pool.stats();
console.log(
  `stats: workers ${String(workers)}, workersStarted ${String(workersStarted)}, failed ${String(failed)}`,
);
