/**
 * `wait(objects, timeout)`: Python's `multiprocessing.connection.wait`.
 * Waits until at least one of the objects can be read without blocking,
 * then resolves with every one that can, in the order given:
 *
 * - a `Connection` (a pipe's end, or a socket connection): a message, or
 *   the other end closed (so `recv` would not block: it would give the
 *   message or throw `EOFError`);
 * - a `Queue`, `JoinableQueue` or `SimpleQueue`: an item, or the queue closed;
 * - a `Process`: it has ended (Python waits on `p.sentinel`);
 * - a promise, such as `p.exited`: it has settled.
 *
 * Nothing is read or taken. The waits it starts end when it resolves.
 */
import type { Connection as PipeConnection, Queue, SimpleQueue } from '@multiprocessing/queue';
import { hasReadiness, kReadyNow, kWhenReady, timeoutMs } from '@multiprocessing/core/internal';
import { Process } from '@multiprocessing/process';
import type { Connection as SocketConnection } from './connection.js';

/** What {@link wait} waits on. */
export type Waitable =
  PipeConnection | SocketConnection | Queue | SimpleQueue | Process | PromiseLike<unknown>;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function listed(objects: unknown): unknown[] {
  if (typeof objects !== 'object' || objects === null || !(Symbol.iterator in objects)) {
    throw new TypeError(
      'objects must be an array (or another iterable) of connections, queues, processes or promises',
    );
  }
  const list = [...(objects as Iterable<unknown>)];
  list.forEach((o, i) => {
    if (!(o instanceof Process) && !hasReadiness(o) && !isThenable(o)) {
      throw new TypeError(
        `objects[${String(i)}] cannot be waited on: expected a Connection, a queue, a Process or a promise`,
      );
    }
  });
  return list;
}

/**
 * Resolves with the objects of `objects` that can be read without blocking
 * (see the file's header), once at least one can, or with `[]` after
 * `timeout` seconds.
 *
 * @param timeout - seconds; `undefined`/`null`/`Infinity` waits for ever, `0` or a negative number answers at once.
 * @throws {TypeError} when `objects` is not an iterable of what it can wait on, or `timeout` is not a number.
 * @throws {RangeError} when `timeout` is NaN.
 * @throws {StateError} `handle is closed` for a closed Connection.
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.connection.wait
 */
export async function wait<T extends Waitable>(objects: Iterable<T>, timeout?: number | null): Promise<T[]> {
  const list = listed(objects) as T[];
  const ms = timeoutMs(timeout);
  const settled = new Set<unknown>();
  const settling = new Map<unknown, Promise<void>>();
  for (const o of list) {
    if (o instanceof Process || hasReadiness(o) || settling.has(o)) continue;
    const mark = (): void => {
      settled.add(o);
    };
    settling.set(o, Promise.resolve(o).then(mark, mark));
  }
  const ready = (): T[] =>
    list.filter((o) => {
      if (o instanceof Process) return o.exitcode !== null;
      if (hasReadiness(o)) return o[kReadyNow]();
      return settled.has(o);
    });
  // A promise settled already marks itself first.
  await Promise.resolve();
  const now = ready();
  if (now.length > 0 || ms === 0) return now;
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    const waits = list.map((o): Promise<unknown> => {
      if (o instanceof Process) return o.exited;
      if (hasReadiness(o)) return o[kWhenReady](stop.signal);
      return settling.get(o) ?? Promise.resolve();
    });
    if (ms !== undefined) {
      waits.push(
        new Promise((resolve) => {
          timer = setTimeout(resolve, ms);
        }),
      );
    }
    await Promise.race(waits);
  } finally {
    stop.abort();
    clearTimeout(timer);
  }
  await Promise.resolve();
  return ready();
}
