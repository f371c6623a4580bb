/**
 * A FIFO with O(1) push and shift (an array and a head index). The pool's
 * queues hold tens of thousands of tasks; `Array.prototype.shift` would make
 * draining them quadratic.
 */
export class Deque<T> {
  // Invariant: the live items are #items[#head …]; slots before #head are
  // cleared so their values can be collected.
  #items: (T | undefined)[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(value: T): void {
    this.#items.push(value);
  }

  /** Puts `value` first. */
  unshift(value: T): void {
    if (this.#head > 0) this.#items[--this.#head] = value;
    else this.#items.unshift(value);
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const value = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return value;
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  /** Removes one occurrence of `value`; true if it was there. */
  remove(value: T): boolean {
    const at = this.#items.indexOf(value, this.#head);
    if (at < 0) return false;
    this.#items.splice(at, 1);
    return true;
  }

  /** Empties the deque and returns its items in order. */
  drain(): T[] {
    const out = this.#items.slice(this.#head) as T[];
    this.#items = [];
    this.#head = 0;
    return out;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.#head; i < this.#items.length; i++) yield this.#items[i] as T;
  }
}
