import { getContext, isMainProcess, moduleRef } from '@multiprocessing/process';
import { Queue } from '@multiprocessing/queue';
import { Event, Value } from '@multiprocessing/value-lock';
import type * as Tasks from './tasks.js';

if (isMainProcess()) {
  const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));
  const ctx = getContext('process'); // real OS processes
  const q = new Queue<[string, number]>();
  const total = new Value('i', 0);
  const go = new Event();
  const n = 1000;

  const children = ['a', 'b'].map(
    (name) => new ctx.Process({ target: tasks.produce, args: [q, total, go, name, n] }),
  );
  for (const child of children) child.start();

  // Items come from two processes, interleaved; each one's items come in its order.
  const next = new Map([
    ['a', 0],
    ['b', 0],
  ]);
  for (let k = 0; k < 2 * n; k++) {
    const [name, i] = await q.get({ timeout: 30 });
    if (i !== next.get(name)) throw new Error(`out of order: ${name} ${String(i)}`);
    next.set(name, i + 1);
  }
  console.log(`got ${String(2 * n)} items, each process's in order: ${[...next].join(', ')}`);
  console.log(`the queue is now empty: ${String(q.empty())}`);

  go.set(); // wakes both children, waiting in another process
  for (const child of children) await child.join();
  console.log(`total counted under the lock: ${String(total.value)}`);
  console.log(`exit codes: ${children.map((c) => String(c.exitcode)).join(', ')}`);
}
