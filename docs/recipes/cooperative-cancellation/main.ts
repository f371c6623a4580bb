import { Pool, moduleRef } from '@multiprocessing/pool';
import type * as Tasks from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));

/** Prints what the caller sees: the value, or the error's name and message. */
async function show(label: string, call: PromiseLike<unknown>): Promise<void> {
  try {
    console.log(`${label}: resolved ${JSON.stringify(await call)}`);
  } catch (err) {
    console.log(`${label}: rejected with ${(err as Error).name}: ${(err as Error).message}`);
  }
}

await using pool = new Pool({ processes: 1, abortGracePeriod: 0.5 });

// 1. Progress: every value the task passes to progress() reaches onEvent, in order, before the result.
await show(
  'count primes below 300 000',
  pool.apply(tasks.countPrimes, [300_000], {
    onEvent: (n) => {
      console.log(`  checked ${String(n)} numbers`);
    },
  }),
);

// 2. Cancel after the first report: the call rejects at once, the task sees its signal fire and
//    stops, and its worker is kept.
const controller = new AbortController();
await show(
  'cancelled after the first report',
  pool.apply(tasks.countPrimes, [1e12], {
    signal: controller.signal,
    onEvent: () => {
      controller.abort();
    },
  }),
);
console.log(`workers started so far: ${String(pool.stats().workersStarted)}`);

// 3. A timeout fires the same signal, with the pool's TimeoutError as its reason.
await show('timeout: 0.3', pool.apply(tasks.countPrimes, [1e12], { timeout: 0.3 }));
console.log(`workers started so far: ${String(pool.stats().workersStarted)}`);

// 4. A task that never looks at its signal is terminated with its worker once the grace period
//    (abortGracePeriod, 0.5 s here) is over; a fresh worker takes the next call.
await show('a busy loop, timeout: 0.3', pool.apply(tasks.spin, [30], { timeout: 0.3 }));
await show('next call', pool.apply(tasks.countPrimes, [10]));
console.log(`workers started so far: ${String(pool.stats().workersStarted)}`);
