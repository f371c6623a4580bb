import { cpus } from 'node:os';
import { Pool, moduleRef } from '@multiprocessing/pool';
import { countPrimes } from './tasks.js';
import type * as taskModule from './tasks.js';

// Workers cannot receive a closure; they import the function from its module.
const tasks = moduleRef<typeof taskModule>(new URL('./tasks.js', import.meta.url));
const limits = Array.from({ length: 8 }, (_, i) => 200_000 + i * 50_000);

let start = performance.now();
const serial = limits.map(countPrimes);
const serialMs = performance.now() - start;

await using pool = new Pool({ processes: cpus().length });
start = performance.now();
const parallel = await pool.map(tasks.countPrimes, limits);
const parallelMs = performance.now() - start;

console.log('primes below each limit:', parallel);
console.log('same as the serial loop:', JSON.stringify(parallel) === JSON.stringify(serial));
console.log(`serial loop: ${serialMs.toFixed(0)} ms`);
console.log(`pool.map on ${cpus().length} workers: ${parallelMs.toFixed(0)} ms`);
