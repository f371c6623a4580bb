/**
 * The referent behind an `IteratorProxy`: an iterator or async iterator
 * (a generator, say) that a method listed in `methodToTypeid` as
 * `'Iterator'` returned, kept in the server and driven by its clients.
 * Mirrors the iterator behind Python's `IteratorProxy` (`__next__`, `send`,
 * `throw`, `close`).
 */

/** A step of the iteration, as it travels to the client. */
export interface IteratorStep {
  readonly value: unknown;
  readonly done: boolean;
}

type Method = (...args: unknown[]) => unknown;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object without next()`;
  return typeof value;
}

function methodOf(obj: object, key: PropertyKey): Method | undefined {
  const fn = (obj as Record<PropertyKey, unknown>)[key];
  return typeof fn === 'function' ? (fn as Method) : undefined;
}

/**
 * Turns a method's result into the iterator the server keeps: an object with
 * `next()` as it is, else the iterator of an async iterable or an iterable
 * (an array, a Map, a Set …).
 *
 * @throws {TypeError} for anything else.
 */
export function toIteratorReferent(value: unknown): IteratorReferent {
  if (typeof value === 'object' && value !== null) {
    if (methodOf(value, 'next') !== undefined) return new IteratorReferent(value);
    for (const key of [Symbol.asyncIterator, Symbol.iterator]) {
      const open = methodOf(value, key);
      if (open === undefined) continue;
      const it: unknown = Reflect.apply(open, value, []);
      if (typeof it === 'object' && it !== null && methodOf(it, 'next') !== undefined) {
        return new IteratorReferent(it);
      }
    }
  }
  throw new TypeError(
    `a method whose typeid is 'Iterator' must return an iterator, an async iterator or an iterable, not ${describe(value)}`,
  );
}

/**
 * An iterator in the server. Each call waits for the one before it, from
 * whichever client, so an async iterator is never asked for two values at
 * once and every value goes to exactly one caller.
 *
 * Invariants: `#it` is the iterator until it reports `done` (or is closed),
 * then undefined: later `next()` calls resolve `{value: undefined, done:
 * true}` without touching it. `#tail` settles after the last queued call.
 */
export class IteratorReferent {
  #it: object | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  /** @param it - an object with `next()`, and maybe `throw()` and `return()` (see {@link toIteratorReferent}). */
  constructor(it: object) {
    this.#it = it;
  }

  /** The next value; `value` goes to the generator as the result of its `yield` (Python's `send`). */
  next(...value: unknown[]): Promise<IteratorStep> {
    return this.#queue(() => this.#step('next', value.slice(0, 1)));
  }

  /** Raises `err` at the generator's `yield`; resolves to what it yields next, or rejects with the error it lets out. */
  throw(err: unknown): Promise<IteratorStep> {
    return this.#queue(() => this.#step('throw', [err]));
  }

  /** Finishes the iterator (its `finally` blocks run); resolves to `{value, done: true}` unless it yields again. */
  return(...value: unknown[]): Promise<IteratorStep> {
    return this.#queue(() => this.#step('return', value.slice(0, 1)));
  }

  /** Python's `close()`: `return()` without a value; resolves to undefined. */
  async close(): Promise<void> {
    await this.return();
  }

  #queue(op: () => Promise<IteratorStep>): Promise<IteratorStep> {
    const run = this.#tail.then(op);
    this.#tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #step(kind: 'next' | 'throw' | 'return', args: unknown[]): Promise<IteratorStep> {
    const it = this.#it;
    if (it === undefined) {
      // A finished generator: next() is done, return(v) gives v, throw(e) throws e.
      if (kind === 'throw') throw args[0];
      return { value: kind === 'return' ? args[0] : undefined, done: true };
    }
    const method = methodOf(it, kind);
    if (method === undefined) {
      // No return(): nothing to clean up. No throw(): the iterator cannot
      // catch the error, so it is closed and the error comes out, as it
      // would from a generator that does not catch it.
      this.#it = undefined;
      if (kind === 'return') return { value: args[0], done: true };
      const close = methodOf(it, 'return');
      if (close !== undefined) await Reflect.apply(close, it, []);
      throw args[0];
    }
    // A failure leaves `#it` alone: a generator is finished by its own
    // error, while a Pool's imap iterator goes on after a failed task.
    const result: unknown = await Reflect.apply(method, it, args);
    if (typeof result !== 'object' || result === null) {
      throw new TypeError(`the iterator's ${kind}() returned ${describe(result)}, not an iterator result`);
    }
    const step = result as { value?: unknown; done?: unknown };
    const done = Boolean(step.done);
    if (done) this.#it = undefined;
    // A sync iterator may yield promises; for await would wait for them too.
    const value: unknown = await step.value;
    return { value, done };
  }
}
