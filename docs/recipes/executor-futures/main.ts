import {
  CancelledError,
  ProcessPoolExecutor,
  StateError,
  TimeoutError,
  moduleRef,
} from '@multiprocessing/pool';
import type * as Tasks from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));

/** A gate for tasks.waitForGate: `started` resolves once the task runs; `open()` lets it return. */
function gate(): { buffer: SharedArrayBuffer; started: Promise<unknown>; open: () => void } {
  const buffer = new SharedArrayBuffer(8);
  const view = new Int32Array(buffer);
  return {
    buffer,
    started: Promise.resolve(Atomics.waitAsync(view, 1, 0, 10_000).value),
    open() {
      Atomics.store(view, 0, 1);
      Atomics.notify(view, 0);
    },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

{
  // `await using` shuts the executor down and waits, as Python's `with ProcessPoolExecutor() as ex:`.
  // One worker, so that a second call waits while the first runs.
  await using executor = new ProcessPoolExecutor({ maxWorkers: 1 });

  // submit -> Future; the done callbacks run as soon as it is done.
  const future = executor.submit(tasks.square, 7);
  future.addDoneCallback((f) => {
    console.log(`done callback: ${String(f)}`);
  });
  console.log(`result: ${String(await future.result(10))}, done: ${String(future.done())}`);

  // A call that fails: result() rejects with its error; exception() returns it.
  const failing = executor.submit(tasks.fail, 'no such item');
  console.log(`exception(): ${errorText(await failing.exception())}; ${String(failing)}`);

  // result(timeout) gives up waiting, not the call. cancel() stops only a call not started yet.
  const slowGate = gate();
  const slow = executor.submit(tasks.waitForGate, slowGate.buffer);
  await slowGate.started;
  const queued = executor.submit(tasks.square, 8);
  console.log(`slow: running ${String(slow.running())}; queued: ${String(queued)}`);
  try {
    await slow.result(0.1);
  } catch (err) {
    console.log(
      `slow.result(0.1): ${errorText(err)} (a TimeoutError: ${String(err instanceof TimeoutError)})`,
    );
  }
  console.log(`slow.cancel(): ${String(slow.cancel())}; queued.cancel(): ${String(queued.cancel())}`);
  try {
    await queued.result();
  } catch (err) {
    console.log(
      `queued.result(): ${errorText(err)} (a CancelledError: ${String(err instanceof CancelledError)})`,
    );
  }
  slowGate.open();
  console.log(`slow.result(): ${await slow.result()}`);

  // map: an async iterable of the results, in input order.
  const squares: number[] = [];
  for await (const y of executor.map(tasks.square, [1, 2, 3, 4, 5, 6], { chunksize: 2 })) squares.push(y);
  console.log(`map: ${JSON.stringify(squares)}`);
}

{
  // shutdown({ cancelFutures: true }): the calls not started are cancelled, the running one finishes.
  const executor = new ProcessPoolExecutor({ maxWorkers: 1 });
  const runningGate = gate();
  const running = executor.submit(tasks.waitForGate, runningGate.buffer);
  await runningGate.started;
  const pending = [1, 2, 3].map((x) => executor.submit(tasks.square, x));
  const shutdown = executor.shutdown({ wait: true, cancelFutures: true });
  console.log(`after shutdown(): pending cancelled ${JSON.stringify(pending.map((f) => f.cancelled()))}`);
  try {
    executor.submit(tasks.square, 4);
  } catch (err) {
    console.log(
      `submit after shutdown: ${errorText(err)} (a StateError: ${String(err instanceof StateError)})`,
    );
  }
  runningGate.open();
  await shutdown;
  console.log(`shutdown resolved; running: ${await running.result()}, ${String(executor)}`);
}
