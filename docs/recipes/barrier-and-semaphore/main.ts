import { Process, moduleRef } from '@multiprocessing/process';
import { Barrier, Semaphore, SharedArray, Value } from '@multiprocessing/value-lock';
import type * as Tasks from './tasks.js';
import type { World } from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));
const start = [3, 1, 4, 1];
const n = start.length; // processes, one per cell (a power of 2 here)
const phases = Math.log2(n);

const world: World = {
  cells: new SharedArray('i', start),
  history: new SharedArray('i', n * phases),
  step: new Barrier(n),
  disk: new Semaphore(2),
  inside: new Value('i', 0),
  most: new Value('i', 0),
  pair: new Barrier(2),
};
const ps = Array.from({ length: n }, (_, i) => new Process({ target: tasks.cell, args: [world, i, phases] }));
for (const p of ps) p.start();
for (const p of ps) await p.join();

console.log('start:', start);
const rows = world.history.toArray();
for (let phase = 0; phase < phases; phase++) {
  console.log(`after phase ${phase + 1}:`, rows.slice(phase * n, (phase + 1) * n));
}
let total = 0;
const serial = start.map((x) => (total += x));
console.log(
  'same as a serial running total:',
  JSON.stringify(world.cells.toArray()) === JSON.stringify(serial),
);
console.log(`most processes saving at once: ${world.most.value} (the semaphore allows 2)`);
console.log(`slots free at the end: ${world.disk.getValue()}`);
