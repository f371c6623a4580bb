import { Pool, TimeoutError, moduleRef } from '@multiprocessing/pool';
import type * as Tasks from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));

/** Prints what the caller sees: the value, or the error's class, name and message. */
async function show(label: string, call: PromiseLike<unknown>): Promise<void> {
  try {
    console.log(`${label}: resolved ${JSON.stringify(await call)}`);
  } catch (err) {
    const e = err as Error;
    const kind = e.constructor.name === e.name ? e.name : `${e.constructor.name} named ${e.name}`;
    const ours = err instanceof TimeoutError ? ', instanceof TimeoutError' : '';
    console.log(`${label}: rejected with ${kind}${ours}: ${e.message}`);
  }
}

await using pool = new Pool({ processes: 2 });

// 1. A limit on the task's own run time, in seconds (counted from its start in a worker).
await show('apply, timeout: 0.2', pool.apply(tasks.spin, [30], { timeout: 0.2 }));

// 2. The caller cancels: the call rejects with the signal's reason.
const controller = new AbortController();
setTimeout(() => {
  controller.abort(new Error('cancelled by the user'));
}, 200);
await show('apply, AbortController', pool.apply(tasks.spin, [30], { signal: controller.signal }));

// 3. On map, `timeout` limits each task (here each item: chunksize 1). map waits for the
//    other items, then rejects with the error of the first item that failed.
await show('map, timeout: 0.5', pool.map(tasks.squareSlowOn3, [1, 2, 3, 4], { chunksize: 1, timeout: 0.5 }));

// 4. A signal on map cancels the whole call. AbortSignal.timeout gives a deadline; its
//    reason is a DOMException named TimeoutError, not the pool's TimeoutError.
await show(
  'map, AbortSignal.timeout(500)',
  pool.map(tasks.squareSlowOn3, [1, 2, 3, 4], { chunksize: 1, signal: AbortSignal.timeout(500) }),
);

// 5. AsyncResult.get(timeout) limits only the wait: the call goes on running.
const gate = new SharedArrayBuffer(4);
const result = pool.applyAsync(tasks.waitForGate, [gate]);
await show('get(0.1)', result.get(0.1));
console.log(`ready after get(0.1): ${String(result.ready())}`);
Atomics.store(new Int32Array(gate), 0, 1);
Atomics.notify(new Int32Array(gate), 0);
await show('get()', result.get());

// Every worker stopped above was replaced: the pool still works.
await show('map after all that', pool.map(tasks.square, [1, 2, 3, 4, 5]));
console.log(`workers: ${String(pool.stats().workers)}`);
