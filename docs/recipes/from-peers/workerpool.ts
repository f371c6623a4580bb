import { fileURLToPath } from 'node:url';
import workerpool from 'workerpool';
import type * as tasks from './tasks.js';

// The script is a file path (not a URL); functions are called by name with an array of arguments.
const pool = workerpool.pool(fileURLToPath(new URL('./workerpool-worker.mjs', import.meta.url)), {
  minWorkers: 2,
  maxWorkers: 2,
  workerType: 'thread',
});
const numbers = [1, 2, 3, 4, 5, 6, 7, 8];

try {
  // The type parameter (here from the TypeScript twin of tasks.mjs) types the arguments and result.
  const squares = await Promise.all(numbers.map((x) => pool.exec<typeof tasks.square>('square', [x])));
  const primes = await pool.exec<typeof tasks.countPrimes>('countPrimes', [200_000]);

  console.log('squares:', squares.join(' '));
  console.log('primes below 200000:', primes);
} finally {
  await pool.terminate();
}
