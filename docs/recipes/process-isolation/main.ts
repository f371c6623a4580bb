import { Pool, WorkerLostError, moduleRef } from '@multiprocessing/pool';
import { getContext, isMainProcess } from '@multiprocessing/process';
import type * as Tasks from './tasks.js';

// Under the 'process' start method the workers are child processes that import this module's
// tasks; the guard keeps a child that imports this file from running the program.
if (isMainProcess()) {
  const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));
  const ctx = getContext('process');

  // A pool of 2 worker processes; each of the two calls ends the worker that runs it.
  const pool = new Pool({ processes: 2, context: ctx });
  const outcomes = await Promise.allSettled([pool.apply(tasks.killSelf), pool.apply(tasks.exit7)]);
  for (const [i, outcome] of outcomes.entries()) {
    const name = i === 0 ? 'killSelf' : 'exit7';
    const err: unknown = outcome.status === 'rejected' ? outcome.reason : undefined;
    if (err instanceof WorkerLostError) {
      console.log(`pool.apply(${name}): ${err.name}: ${err.message} (exitcode ${String(err.exitcode)})`);
    }
  }

  // The main program is still here, and so is the pool: two fresh workers replaced the lost ones.
  const workerPid = await pool.apply(tasks.pid);
  console.log(`a task runs in another process: ${String(workerPid !== process.pid)}`);
  console.log(`workers started: ${String(pool.stats().workersStarted)}`);
  pool.close();
  await pool.join();

  // The same two functions as the targets of Process children.
  const children = [new ctx.Process({ target: tasks.killSelf }), new ctx.Process({ target: tasks.exit7 })];
  for (const child of children) child.start();
  for (const child of children) await child.join();
  for (const child of children) {
    console.log(`${child.name}: exitcode ${String(child.exitcode)}, ${String(child)}`);
  }
}
