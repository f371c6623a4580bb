import type { Transferable } from 'node:worker_threads';
import { encode } from '@multiprocessing/core';
import { kSharedBuffers, sharedBufferHandoff, toPostable } from '@multiprocessing/core/internal';
import { startWorker, within, type TestWorker } from '@multiprocessing/test-utils';

export { terminateAll, within } from '@multiprocessing/test-utils';

const fixture = new URL('./fixtures/vl-worker.mjs', import.meta.url);

/** A started fixture worker and its messages. */
export interface Started {
  readonly worker: TestWorker['worker'];
  /** The next message, failing after `timeoutMs` or once the worker has exited. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
}

/**
 * Starts the fixture worker on `cmd`. `args` travel through core's postable
 * wire (or its byte codec with `{bytes: true}`).
 */
export function start(cmd: string, args: Record<string, unknown>, opts: { bytes?: boolean } = {}): Started {
  let workerData: Record<string, unknown>;
  let transferList: Transferable[];
  if (opts.bytes === true) {
    // Bytes name shared buffers by id: as the process runtime does, the
    // thread learns the buffers known now and those announced later.
    const buffers = sharedBufferHandoff();
    workerData = {
      cmd,
      bytes: encode(args).slice(),
      [kSharedBuffers]: buffers,
    };
    transferList = [buffers.relay];
  } else {
    const p = toPostable(args, 'args');
    workerData = { cmd, args: p.value };
    transferList = p.transfer;
  }
  const started = startWorker(fixture, { workerData, transferList });
  return {
    worker: started.worker,
    next: (timeoutMs) =>
      started.next(timeoutMs).then(
        (m) => m as Record<string, unknown>,
        (err: unknown) => {
          throw new Error(`worker ${cmd}: ${(err as Error).message}`);
        },
      ),
  };
}

/** Every message of several workers, in arrival order. */
export interface Collector {
  readonly messages: Record<string, unknown>[];
  /** Resolves once `count` messages have arrived in total; fails after `timeoutMs`. */
  until(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
}

/** Collects the messages of `workers` (use instead of their `next()`). */
export function collect(workers: readonly Started[]): Collector {
  const messages: Record<string, unknown>[] = [];
  let check: (() => void) | undefined;
  for (const w of workers) {
    // Each pump ends when its worker exits (terminateAll ends them all).
    const pump = (): void => {
      w.next(600_000).then(
        (m) => {
          messages.push(m);
          check?.();
          pump();
        },
        () => undefined,
      );
    };
    pump();
  }
  return {
    messages,
    until(count, timeoutMs = 20_000) {
      const arrived = new Promise<Record<string, unknown>[]>((resolve) => {
        check = () => {
          if (messages.length < count) return;
          check = undefined;
          resolve(messages.slice());
        };
        check();
      });
      return within(
        arrived,
        timeoutMs,
        `${String(count)} messages of ${String(workers.length)} workers`,
      ).finally(() => {
        check = undefined;
      });
    },
  };
}

/** Resolves after `ms` (only for bounded "nothing more happens" checks). */
export function grace(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
