/**
 * The input of an imap that is an async iterable, read one item at a time
 * and only when asked: the imap asks for a chunk's worth when a worker could
 * take one, so the input is read as lazily as a sync iterable's. It is also
 * the sync iterator the imap makes its chunks from; an error the input
 * raised is thrown there, after the items read before it.
 */
import { Deque } from './deque.js';

/** See the module header. */
export class AsyncFeed implements Iterator<unknown> {
  readonly #source: AsyncIterator<unknown>;
  /** Called once enough items are buffered (or the input ended) after a fill(). */
  readonly #onReady: () => void;
  readonly #items = new Deque<unknown>();
  #ended = false;
  #error: { error: unknown } | undefined = undefined;
  #reading = false;
  #stopped = false;

  constructor(iterable: AsyncIterable<unknown>, onReady: () => void) {
    this.#source = iterable[Symbol.asyncIterator]();
    this.#onReady = onReady;
  }

  /** True when `n` items are buffered, or the input has ended (or failed). */
  ready(n: number): boolean {
    return this.#ended || this.#items.length >= n;
  }

  /** Reads until `n` items are buffered or the input ends, then calls onReady. */
  fill(n: number): void {
    if (this.#reading || this.#stopped) return;
    this.#reading = true;
    const read = (): void => {
      let step: Promise<IteratorResult<unknown>>;
      try {
        step = Promise.resolve(this.#source.next());
      } catch (error) {
        this.#fail(error);
        return;
      }
      step.then(
        (result) => {
          if (this.#stopped) return;
          if (result.done === true) this.#ended = true;
          else this.#items.push(result.value);
          if (this.ready(n)) {
            this.#reading = false;
            this.#onReady();
          } else {
            read();
          }
        },
        (error: unknown) => {
          this.#fail(error);
        },
      );
    };
    read();
  }

  #fail(error: unknown): void {
    this.#ended = true;
    this.#error = { error };
    this.#reading = false;
    if (!this.#stopped) this.#onReady();
  }

  /** The imap ended: read nothing more. */
  stop(): void {
    this.#stopped = true;
  }

  /** The next buffered item; at the end, the input's error (once), then done. */
  next(): IteratorResult<unknown> {
    if (this.#items.length > 0) return { done: false, value: this.#items.shift() };
    if (this.#error !== undefined) {
      const { error } = this.#error;
      this.#error = undefined;
      throw error;
    }
    return { done: true, value: undefined };
  }
}
