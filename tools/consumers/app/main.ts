// The consumers test runs this under tsx, compiled by tsc, and bundled.
import * as all from '@multiprocessing/all';
import { Manager } from '@multiprocessing/manager';
import { Pool, moduleRef } from '@multiprocessing/pool';
import { Process, getContext } from '@multiprocessing/process';
import { Queue } from '@multiprocessing/queue';
import { Value } from '@multiprocessing/value-lock';
import type * as Tasks from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));

{
  await using pool = new Pool({ processes: 2 });
  console.log(`map ${JSON.stringify(await pool.map(tasks.square, [1, 2, 3]))}`);
}
{
  await using pool = new Pool({ processes: 1, context: getContext('process') });
  console.log(`map in a child process ${JSON.stringify(await pool.map(tasks.square, [4, 5]))}`);
}

const queue = new Queue<number>();
const producer = new Process({ target: tasks.produce, args: [queue, 3] });
producer.start();
const got: number[] = [];
for (let i = 0; i < 3; i++) got.push(await queue.get({ timeout: 30 }));
await producer.join(30);
console.log(`queue ${got.join(',')} exitcode ${String(producer.exitcode)}`);

const counter = new Value('i', 0);
const counters = [0, 1].map(() => new Process({ target: tasks.count, args: [counter, 1000] }));
for (const p of counters) p.start();
for (const p of counters) await p.join(30);
console.log(`value ${String(counter.value)} ${String(counter.getLock())}`);

// The same Queue and Value used from child processes: the objects stay here and are served to them.
const ctx = getContext('process');
const remoteQueue = new Queue<number>();
const remoteCounter = new Value('i', 0);
const children = [
  new ctx.Process({ target: tasks.produce, args: [remoteQueue, 3] }),
  new ctx.Process({ target: tasks.count, args: [remoteCounter, 100] }),
];
for (const p of children) p.start();
const fromChild: number[] = [];
for (let i = 0; i < 3; i++) fromChild.push(await remoteQueue.get({ timeout: 30 }));
for (const p of children) await p.join(30);
console.log(
  `between processes ${fromChild.join(',')} ${String(remoteCounter.value)} exitcodes ${children.map((p) => String(p.exitcode)).join(',')}`,
);

{
  await using manager = await Manager();
  const dict = await manager.dict<string, number[]>();
  const writer = new Process({ target: tasks.record, args: [dict, 'a'] });
  writer.start();
  await writer.join(30);
  console.log(`manager ${JSON.stringify(await dict.toObject())} exitcode ${String(writer.exitcode)}`);
}

console.log(`umbrella ${String(all.Pool === Pool && all.Queue === Queue && all.Manager === Manager)}`);
