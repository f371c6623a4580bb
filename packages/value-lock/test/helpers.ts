import { Worker } from 'node:worker_threads';
import type { Transferable } from 'node:worker_threads';
import { encode } from '@multiprocessing/core';
import { sharedBufferSnapshot, toPostable } from '@multiprocessing/core/internal';

const fixture = new URL('./fixtures/vl-worker.mjs', import.meta.url);
const live = new Set<Worker>();

/** A started fixture worker and its messages. */
export interface Started {
  readonly worker: Worker;
  /** The next message, failing after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
}

/**
 * Starts the fixture worker on `cmd`. `args` travel through core's postable
 * wire (or its byte codec with `{bytes: true}`).
 */
export function start(cmd: string, args: Record<string, unknown>, opts: { bytes?: boolean } = {}): Started {
  let workerData: Record<string, unknown>;
  let transfer: Transferable[] = [];
  if (opts.bytes === true) {
    // A thread started after the buffers were announced learns them from a
    // snapshot, as the process runtime passes it.
    const bytes = encode(args).slice();
    workerData = { cmd, bytes, sabs: sharedBufferSnapshot() };
  } else {
    const p = toPostable(args, 'args');
    workerData = { cmd, args: p.value };
    transfer = p.transfer;
  }
  const worker = new Worker(fixture, { workerData, transferList: transfer });
  live.add(worker);
  const queue: Record<string, unknown>[] = [];
  const waiting: { resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  let exited = false;
  const deliver = (m: Record<string, unknown>): void => {
    const w = waiting.shift();
    if (w) w.resolve(m);
    else queue.push(m);
  };
  worker.on('message', deliver);
  worker.on('error', (err) => {
    deliver({ crashed: String(err.stack) });
  });
  worker.on('exit', () => {
    exited = true;
    live.delete(worker);
    for (const w of waiting.splice(0)) w.reject(new Error(`worker ${cmd} exited`));
  });
  return {
    worker,
    next(timeoutMs = 20_000) {
      const ready = queue.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      if (exited) return Promise.reject(new Error(`worker ${cmd} exited`));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiting.indexOf(entry);
          if (i >= 0) waiting.splice(i, 1);
          reject(new Error(`no message from worker ${cmd} within ${String(timeoutMs)} ms`));
        }, timeoutMs);
        timer.unref();
        const entry = {
          resolve: (m: Record<string, unknown>) => {
            clearTimeout(timer);
            resolve(m);
          },
          reject: (e: Error) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        waiting.push(entry);
      });
    },
  };
}

/** Terminates every worker still running (call in afterEach). */
export async function terminateAll(): Promise<void> {
  await Promise.all([...live].map((w) => w.terminate()));
  live.clear();
}

/** Every message of several workers, in arrival order. */
export interface Collector {
  readonly messages: Record<string, unknown>[];
  /** Resolves once `count` messages have arrived in total. */
  until(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
}

/** Collects the messages of `workers` (use instead of their `next()`). */
export function collect(workers: readonly Started[]): Collector {
  const messages: Record<string, unknown>[] = [];
  let check: (() => void) | undefined;
  for (const w of workers) {
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
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          check = undefined;
          reject(new Error(`only ${String(messages.length)} of ${String(count)} messages within ${String(timeoutMs)} ms`));
        }, timeoutMs);
        check = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            check = undefined;
            resolve(messages.slice());
          }
        };
        check();
      });
    },
  };
}

/** Resolves after `ms` (only for bounded "nothing more happens" checks). */
export function grace(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
