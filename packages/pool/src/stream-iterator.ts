/**
 * The values a `Pool.stream` task yields, read as they come with
 * back-pressure. No Python counterpart: Python's Pool cannot stream a
 * generator's values (`imap` streams the results of many calls instead).
 */
import { kInspect, type TaskResult } from '@multiprocessing/core';
import { timedNext } from './internal/timed-next.js';
import type { StreamCall } from './internal/stream-call.js';

/**
 * The type of the values a stream task yields: the element type of the
 * (async) iterable it returns.
 */
export type StreamItem<T> =
  TaskResult<T> extends AsyncIterable<infer U> ? U : TaskResult<T> extends Iterable<infer U> ? U : unknown;

const kCreate = Symbol('StreamIterator.create');
let makeIterator: <T>(call: StreamCall) => StreamIterator<T>;

/**
 * An async iterator over the values a `Pool.stream` task yields, in order.
 * The worker runs the task's iterator at most `highWaterMark` values ahead
 * of this iterator's reader. Breaking out of `for await` (its `return()`)
 * stops the task's iterator in the worker, whose `finally` blocks run; the
 * worker is kept. An error the task throws rejects the `next()` after the
 * values yielded before it.
 *
 * @example
 * for await (const row of pool.stream(tasks.readRows, ['data.csv'])) console.log(row);
 */
export class StreamIterator<T> implements AsyncIterableIterator<T> {
  readonly #call: StreamCall;

  /** @internal Made by a Pool. */
  constructor(token: symbol, call: StreamCall) {
    if (token !== kCreate)
      throw new TypeError('StreamIterator is made by Pool.stream; it cannot be constructed');
    this.#call = call;
  }

  static {
    makeIterator = <T>(call: StreamCall): StreamIterator<T> => new StreamIterator<T>(kCreate, call);
  }

  /**
   * The next value. With a timeout (seconds), rejects with `TimeoutError`
   * if none is ready by then; the stream is not affected.
   *
   * @throws {TimeoutError} no value within `timeout` seconds, or (the call's
   *   `timeout`) the worker took too long to produce one.
   * @throws {WorkerLostError} the worker died while running the task.
   * @throws {CancelledError} the pool was terminated.
   */
  next(timeout?: number | null): Promise<IteratorResult<T>> {
    return timedNext<T>(this.#call, timeout, 'StreamIterator');
  }

  /**
   * Stops the stream: values not read yet are dropped, and the worker calls
   * the task's iterator's `return()`, so its `finally` blocks run. Resolves
   * once they have; rejects with the error they threw, or if the worker
   * died meanwhile.
   */
  return(): Promise<IteratorResult<T>> {
    return this.#call.close() as Promise<IteratorResult<T>>;
  }

  /** The iterator itself, so `for await (const x of pool.stream(…))` reads it. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /** `Object.prototype.toString` shows `[object StreamIterator]`. */
  readonly [Symbol.toStringTag] = 'StreamIterator';

  /**
   * `<StreamIterator highWaterMark=16 finished=false>`; finished once the
   * task has ended in its worker (or will never run), though values may
   * still wait to be read.
   */
  toString(): string {
    return `<StreamIterator highWaterMark=${String(this.#call.highWaterMark)} finished=${String(this.#call.ended)}>`;
  }

  /** `util.inspect` / `console.log` show {@link StreamIterator.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}

/** Wraps a stream call (for the pool only). */
export function createStreamIterator<T>(call: StreamCall): StreamIterator<T> {
  return makeIterator<T>(call);
}
