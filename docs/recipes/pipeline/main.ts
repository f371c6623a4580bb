import { Process, moduleRef } from '@multiprocessing/process';
import { JoinableQueue, Queue } from '@multiprocessing/queue';
import type * as Tasks from './tasks.js';
import type { Job, Result } from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));

const jobs = new Queue<Job | null>({ maxsize: 4 }); // a bounded queue: producers wait when workers lag
const results = new JoinableQueue<Result | null>();
const stored = new Queue<string>();

const producers = [
  new Process({ target: tasks.produce, args: [jobs, 'producer A', 1, 5] }),
  new Process({ target: tasks.produce, args: [jobs, 'producer B', 101, 5] }),
];
const workers = [1, 2].map(() => new Process({ target: tasks.work, args: [jobs, results] }));
const consumer = new Process({ target: tasks.store, args: [results, stored] });
for (const p of [...producers, ...workers, consumer]) p.start();

// Producers end by themselves. Then one sentinel per worker stops the workers.
for (const p of producers) await p.join();
for (const _ of workers) await jobs.put(null);
for (const w of workers) await w.join();

// join() resolves once every result put on the JoinableQueue has been marked done.
await results.join();
console.log(`results stored when join() resolved: ${stored.qsize()}`);

// One sentinel per consumer stops the consumers.
await results.put(null);
await consumer.join();

const lines: string[] = [];
while (!stored.empty()) lines.push(await stored.get());
lines.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
for (const line of lines) console.log(line);
console.log(
  'exit codes:',
  [...producers, ...workers, consumer].map((p) => p.exitcode),
);
for (const q of [jobs, results, stored]) q.close();
