import { Pool, moduleRef } from '@multiprocessing/pool';
import { RawArray } from '@multiprocessing/value-lock';
import type * as Tasks from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));
const N = 1_000_000; // 8 MB of float64

await using pool = new Pool({ processes: 2 });

// 1. Move: `transfer` hands the buffer to the worker instead of copying 8 MB.
const samples = Float64Array.from({ length: N }, (_, i) => i % 100);
console.log(`before the call: samples.byteLength = ${String(samples.byteLength)}`);
const summary = await pool.apply(tasks.summarize, [samples], { transfer: [samples.buffer] });
console.log(`after the call:  samples.byteLength = ${String(samples.byteLength)} (the buffer moved)`);
console.log('summary from the worker:', summary);

// 2. A big result comes back as a new array of the same type.
const input = Float64Array.from({ length: N }, (_, i) => i % 100);
const doubled = await pool.apply(tasks.scaled, [input, 2], { transfer: [input.buffer] });
console.log(
  `result: ${doubled.constructor.name} of ${String(doubled.length)}, last element ${String(doubled.at(-1))}`,
);

// 3. Share: a RawArray lives in shared memory; each worker squares its half in place.
const shared = new RawArray('d', N);
for (let i = 0; i < N; i++) shared[i] = i % 100;
const half = N / 2;
const counts = await pool.starmap(tasks.squareRawRange, [
  [shared, 0, half],
  [shared, half, N],
]);
console.log(`squared in place: ${counts.join(' + ')} elements`);
console.log(
  `the caller sees: shared[99] = ${String(shared[99])}, shared[${String(N - 1)}] = ${String(shared[N - 1])}`,
);
console.log(String(shared));
