// The consumers test runs this plain ESM program under Node, Bun, Deno and
// as an esbuild bundle. Without `await using`, try/finally closes what it opens.
import * as all from '@multiprocessing/all';
import { Manager } from '@multiprocessing/manager';
import { Pool, moduleRef } from '@multiprocessing/pool';
import { Process, getContext } from '@multiprocessing/process';
import { Queue } from '@multiprocessing/queue';
import { Value } from '@multiprocessing/value-lock';

const tasks = moduleRef(new URL('./tasks.mjs', import.meta.url));

const pool = new Pool({ processes: 2 });
try {
  console.log(`map ${JSON.stringify(await pool.map(tasks.square, [1, 2, 3]))}`);
} finally {
  await pool.terminate();
}

const forked = new Pool({ processes: 1, context: getContext('process') });
try {
  console.log(`map in a child process ${JSON.stringify(await forked.map(tasks.square, [4, 5]))}`);
} finally {
  await forked.terminate();
}

const queue = new Queue();
const producer = new Process({ target: tasks.produce, args: [queue, 3] });
producer.start();
const got = [];
for (let i = 0; i < 3; i++) got.push(await queue.get({ timeout: 30 }));
await producer.join(30);
console.log(`queue ${got.join(',')} exitcode ${producer.exitcode}`);

const counter = new Value('i', 0);
const counters = [0, 1].map(() => new Process({ target: tasks.count, args: [counter, 1000] }));
for (const p of counters) p.start();
for (const p of counters) await p.join(30);
console.log(`value ${counter.value} ${counter.getLock()}`);

// The same Queue and Value used from child processes: the objects stay here and are served to them.
const ctx = getContext('process');
const remoteQueue = new Queue();
const remoteCounter = new Value('i', 0);
const children = [
  new ctx.Process({ target: tasks.produce, args: [remoteQueue, 3] }),
  new ctx.Process({ target: tasks.count, args: [remoteCounter, 100] }),
];
for (const p of children) p.start();
const fromChild = [];
for (let i = 0; i < 3; i++) fromChild.push(await remoteQueue.get({ timeout: 30 }));
for (const p of children) await p.join(30);
console.log(
  `between processes ${fromChild.join(',')} ${remoteCounter.value} exitcodes ${children.map((p) => p.exitcode).join(',')}`,
);

const manager = await Manager();
try {
  const dict = await manager.dict();
  const writer = new Process({ target: tasks.record, args: [dict, 'a'] });
  writer.start();
  await writer.join(30);
  console.log(`manager ${JSON.stringify(await dict.toObject())} exitcode ${writer.exitcode}`);
} finally {
  await manager.shutdown();
}

console.log(`umbrella ${all.Pool === Pool && all.Queue === Queue && all.Manager === Manager}`);
