import { createRequire } from 'node:module';
import type * as threadsModule from 'threads' with { 'resolution-mode': 'require' };
import type { ModuleThread } from 'threads' with { 'resolution-mode': 'require' };
import type * as tasks from './tasks.js';

// threads 1.7.0 publishes its types for require() only, so this ES module loads it with require().
const { Pool, Worker, spawn } = createRequire(import.meta.url)('threads') as typeof threadsModule;

// The worker runs tasks.mjs; its TypeScript twin, tasks.ts, gives the thread its method types.
type Thread = ModuleThread<typeof tasks>;

// A pool of spawned threads; each task is a function that receives one of them.
const pool = Pool(() => spawn<typeof tasks>(new Worker('./threads-worker.mjs')), 2);
const numbers = [1, 2, 3, 4, 5, 6, 7, 8];

try {
  // The pool's `queue` resolves to `any`, whatever the thread's types say.
  const squares = (await Promise.all(
    numbers.map((x) => pool.queue((thread: Thread) => thread.square(x))),
  )) as number[];
  const primes = (await pool.queue((thread: Thread) => thread.countPrimes(200_000))) as number;

  console.log('squares:', squares.join(' '));
  console.log('primes below 200000:', primes);
} finally {
  await pool.terminate();
}
