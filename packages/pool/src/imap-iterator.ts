/**
 * The lazy result stream of `imap` and `imapUnordered`. Mirrors
 * `multiprocessing.pool.IMapIterator` (and `IMapUnorderedIterator`):
 * `next(timeout)` rejects with `TimeoutError` when no result is ready in
 * time, and a failed chunk rejects once, at its place, then the stream goes on.
 */
import { kInspect } from '@multiprocessing/core';
import { timedNext, type NextSource } from './internal/timed-next.js';

/** What an IMapIterator reads: a Pool's imap call, or a ThreadPool's. */
export interface IMapSource extends NextSource {
  /** Stops reading input; results still coming are dropped. */
  close(): void;
  /** True once no task of the call is left to run. */
  readonly finished: boolean;
}

const kCreate = Symbol('IMapIterator.create');
let makeIterator: <T>(call: IMapSource) => IMapIterator<T>;

/**
 * An async iterator over the results of `imap` / `imapUnordered`.
 *
 * @example
 * for await (const square of pool.imap(tasks.square, numbers())) console.log(square);
 */
export class IMapIterator<T> implements AsyncIterableIterator<T> {
  readonly #call: IMapSource;

  /** @internal Made by a Pool. */
  constructor(token: symbol, call: IMapSource) {
    if (token !== kCreate) throw new TypeError('IMapIterator is made by Pool.imap; it cannot be constructed');
    this.#call = call;
  }

  static {
    makeIterator = <T>(call: IMapSource): IMapIterator<T> => new IMapIterator<T>(kCreate, call);
  }

  /**
   * The next result. With a timeout (seconds), rejects with `TimeoutError`
   * if none is ready by then; the stream is not affected.
   *
   * @throws {TimeoutError} no result within `timeout` seconds.
   */
  next(timeout?: number | null): Promise<IteratorResult<T>> {
    return timedNext<T>(this.#call, timeout, 'IMapIterator');
  }

  /** Stops the stream: no more input is read; results still coming are dropped. */
  return(): Promise<IteratorResult<T>> {
    this.#call.close();
    return Promise.resolve({ done: true, value: undefined });
  }

  /** The iterator itself, so `for await (const r of pool.imap(…))` reads it. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /** `Object.prototype.toString` shows `[object IMapIterator]`. */
  readonly [Symbol.toStringTag] = 'IMapIterator';

  /**
   * `<IMapIterator finished=false>`; finished once no task of the call is
   * left to run (all results in, a failure, or `return()`), though results
   * may still wait to be read. Python's has no repr of its own.
   */
  toString(): string {
    return `<IMapIterator finished=${String(this.#call.finished)}>`;
  }

  /** `util.inspect` / `console.log` show {@link IMapIterator.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}

/** Wraps an imap call (for the pool only). */
export function createIMapIterator<T>(call: IMapSource): IMapIterator<T> {
  return makeIterator<T>(call);
}
