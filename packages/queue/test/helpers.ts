import {
  fromPostable,
  kSharedBuffers,
  sharedBufferHandoff,
  toPostable,
} from '@multiprocessing/core/internal';
import { startWorker, within, type TestWorker } from '@multiprocessing/test-utils';

export { terminateAll, within } from '@multiprocessing/test-utils';

/** A scenario of fixtures/scenarios.mjs running in a worker thread. */
export interface Running {
  readonly worker: TestWorker['worker'];
  /** The scenario's return value; rejects with its error or on a bad exit. */
  readonly result: Promise<unknown>;
  /** Resolves with the exit code once the thread has exited. */
  readonly exited: Promise<number>;
}

/** Starts `scenario` with `args` (shareables arrive live) in a new worker. */
export function runScenario(scenario: string, args: Record<string, unknown>, timeoutMs = 30_000): Running {
  const { value, transfer } = toPostable({ scenario, args }, 'workerData');
  // As the process runtime does: the thread learns the buffers known now and
  // those announced later.
  const buffers = sharedBufferHandoff();
  const started = startWorker(new URL('./fixtures/queue-worker.mjs', import.meta.url), {
    workerData: { payload: value, [kSharedBuffers]: buffers },
    transferList: [...transfer, buffers.relay],
  });
  const answer = started.next(timeoutMs).then((msg) => {
    const r = fromPostable(msg) as { ok: boolean; value?: unknown; error?: unknown };
    if (r.ok) return r.value;
    throw r.error instanceof Error ? r.error : new Error(String(r.error));
  });
  const result = within(answer, timeoutMs, `scenario ${scenario}`);
  result.catch(() => undefined);
  return { worker: started.worker, result, exited: started.exited };
}
