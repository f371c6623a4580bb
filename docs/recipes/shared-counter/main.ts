import { Process, moduleRef } from '@multiprocessing/process';
import { Barrier, Value } from '@multiprocessing/value-lock';
import type * as Tasks from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));
const workers = 4;
const times = 10_000;

const locked = new Value('i', 0); // Value('i', 0) comes with its own lock: locked.getLock()
const racy = new Value('i', 0);
const start = new Barrier(workers); // the workers start each loop at the same moment
const ps = Array.from(
  { length: workers },
  () => new Process({ target: tasks.work, args: [locked, racy, start, times] }),
);
for (const p of ps) p.start();
for (const p of ps) await p.join();

console.log(`${workers} processes each add 1, ${times} times`);
console.log(`with the lock: ${locked.value}`);
console.log(`without it: ${racy.value} (less when loops overlap and updates get lost; it varies)`);
