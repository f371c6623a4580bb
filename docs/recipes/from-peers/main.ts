import { Pool, moduleRef } from '@multiprocessing/pool';
import type * as taskModule from './tasks.js';

// A typed reference to the module, not a file path and a function name.
const tasks = moduleRef<typeof taskModule>(new URL('./tasks.js', import.meta.url));
const numbers = [1, 2, 3, 4, 5, 6, 7, 8];

// `await using` terminates the workers when the block ends, like Python's `with Pool(2) as pool:`.
await using pool = new Pool({ processes: 2 });

const squares = await pool.map(tasks.square, numbers); // number[], in input order
const primes = await pool.apply(tasks.countPrimes, [200_000]); // one task, its arguments as an array

console.log('squares:', squares.join(' '));
console.log('primes below 200000:', primes);
