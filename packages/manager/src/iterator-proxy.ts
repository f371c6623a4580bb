/**
 * The proxy of an iterator that stays in the manager's server. Mirrors
 * `multiprocessing.managers.IteratorProxy` (`__next__`, `send`, `throw`,
 * `close`). Differences: it is an async iterator, so `next(value)` covers
 * both `__next__` and `send`, resolves to `{value, done}` instead of raising
 * `StopIteration`, and `for await` reads it.
 */
import { BaseProxy } from './base-proxy.js';

/**
 * An iterator or generator living in the server, driven from here: what a
 * method listed in `methodToTypeid` as `'Iterator'` resolves to, and what a
 * manager Pool's `imap` gives. Every call is a round trip; calls from all
 * clients take turns, so each value goes to exactly one of them.
 *
 * @example
 * // Store#values is a generator; Store is registered with methodToTypeid: { values: 'Iterator' }.
 * const values = (await store.values()) as IteratorProxy<number>;
 * for await (const v of values) console.log(v);
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#proxy-objects
 */
export class IteratorProxy<T = unknown, TReturn = unknown, TNext = unknown>
  extends BaseProxy
  implements AsyncIterator<T, TReturn, TNext>
{
  /**
   * The next value: `{value, done}`. A `value` given is what the
   * generator's `yield` evaluates to (Python's `send`).
   *
   * @throws the iterator's error: with its class when it is a built-in or
   *   project class, else a RemoteError.
   */
  next(...[value]: [] | [TNext]): Promise<IteratorResult<T, TReturn>> {
    return this._callMethod('next', value === undefined ? [] : [value]) as Promise<
      IteratorResult<T, TReturn>
    >;
  }

  /**
   * Throws `err` into the generator where it paused; resolves to what it
   * yields next. Rejects with the error when the generator lets it out (it
   * is then finished), or when the iterator has no `throw()` (it is closed).
   */
  throw(err?: unknown): Promise<IteratorResult<T, TReturn>> {
    return this._callMethod('throw', [err]) as Promise<IteratorResult<T, TReturn>>;
  }

  /**
   * Finishes the iterator (a generator runs its `finally` blocks); resolves
   * to `{value, done: true}`. `for await` calls it when the loop ends early.
   */
  async return(value?: TReturn | PromiseLike<TReturn>): Promise<IteratorResult<T, TReturn>> {
    const args = value === undefined ? [] : [await value];
    return (await this._callMethod('return', args)) as IteratorResult<T, TReturn>;
  }

  /** Python's `close()`: finishes the iterator, as {@link IteratorProxy.return} without a value. */
  async close(): Promise<void> {
    await this._callMethod('close');
  }

  /** The proxy itself, so `for await (const x of proxy)` reads the iterator. */
  [Symbol.asyncIterator](): this {
    return this;
  }
}
