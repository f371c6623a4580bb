/**
 * How another OS process uses this package's objects (the `remote` option
 * of `registerShareable`). Puts to an unbounded queue and sends on a pipe
 * never block at the owner, so the caller streams them without waiting for
 * a reply, in order; blocking twins block the caller's thread while the
 * owner awaits the async method. A queue's `joinThread` is a call that
 * expects a reply, which the owner's broker runs only once the caller's
 * streamed calls before it have run: it resolves once the puts are in.
 */
import type { RemoteSpec } from '@multiprocessing/core';
import { encode, ShutDownError, StateError } from '@multiprocessing/core';
import { copyMessageInto, recvIntoTarget } from '@multiprocessing/core/internal';
import type { BlockOptions } from '../block-options.js';
import { BUSY, CLOSED, EMPTY, type SharedRing } from './ring.js';
import { kRing } from './ring-key.js';
import { waitBudget } from './timeout.js';

interface Getter<T> {
  get(): Promise<T>;
}

/** `for await` over a queue in another process: ends when the queue is closed or shut down. */
async function* iterate<T>(this: Getter<T>): AsyncGenerator<T> {
  for (;;) {
    let item: T;
    try {
      item = await this.get();
    } catch (err) {
      if (err instanceof StateError || err instanceof ShutDownError) return;
      throw err;
    }
    yield item;
  }
}

/** The most items one `.take` hands a caller. */
const MAX_TAKE = 1024;

interface Ringed {
  readonly [kRing]: SharedRing;
  get(options?: BlockOptions): Promise<unknown>;
}

/**
 * One item as `get(options)` gives it, then up to `max - 1` more that wait
 * now, but never more than half of them: the rest stay for other consumers.
 */
async function take(this: Ringed, max: unknown, options?: BlockOptions): Promise<unknown[]> {
  const items = [await this.get(options)];
  const ring = this[kRing];
  const limit = typeof max === 'number' && max > 1 ? Math.min(max, MAX_TAKE) : 1;
  for (let more = Math.min(limit - 1, Math.ceil(ring.count() / 2)); more > 0; more--) {
    const item = ring.tryGet();
    if (item === EMPTY || item === CLOSED || item === BUSY) break;
    items.push(item);
  }
  return items;
}

/** Items a caller took and did not use, back at the front in their order. */
function giveBack(this: Ringed, items: unknown): void {
  if (!Array.isArray(items)) return;
  this[kRing].putBack(items.map((item) => encode(item, 'item').slice()));
}

/** Queue. */
export const queueRemote: RemoteSpec = {
  async: ['put', 'get', 'joinThread'],
  twins: { putSync: 'put', getSync: 'get' },
  sync: ['putNowait', 'getNowait', 'qsize', 'empty', 'full', 'close', 'shutdown'],
  constants: ['maxsize'],
  local: ['cancelJoinThread'],
  ordered: ['put', 'putNowait'],
  streamed: (q: { maxsize: number }): Record<string, string> =>
    q.maxsize <= 0 ? { put: 'putNowait', putSync: 'putNowait', putNowait: 'putNowait' } : {},
  methods: { [Symbol.asyncIterator]: iterate },
  owner: { '.take': take, '.giveBack': giveBack },
  prefetch: {
    when: (q: { maxsize: number }) => q.maxsize <= 0,
    budget: (options) => waitBudget(options as BlockOptions | undefined),
  },
};

/** JoinableQueue. */
export const joinableQueueRemote: RemoteSpec = {
  ...queueRemote,
  async: [...(queueRemote.async ?? []), 'join'],
  twins: { ...queueRemote.twins, joinSync: 'join' },
  sync: [...(queueRemote.sync ?? []), 'taskDone'],
};

/** SimpleQueue: unbounded, so every put is streamed. */
export const simpleQueueRemote: RemoteSpec = {
  async: ['put', 'get'],
  twins: { putSync: 'put', getSync: 'get' },
  sync: ['empty', 'close', 'shutdown'],
  ordered: ['put'],
  streamed: () => ({ put: 'putSync', putSync: 'putSync' }),
};

interface BytesReader {
  recvBytes(): Promise<Uint8Array>;
  recvBytesSync(): Uint8Array;
}

/** A Pipe's end: sends are streamed; `recvBytesInto` copies a received message into the caller's buffer. */
export const connectionRemote: RemoteSpec = {
  async: ['recv', 'recvBytes', 'poll'],
  twins: { recvSync: 'recv', recvBytesSync: 'recvBytes', pollSync: 'poll' },
  sync: ['send', 'sendBytes', 'close'],
  getters: ['closed', 'readable', 'writable'],
  ordered: ['send', 'sendBytes', 'close'],
  streamed: () => ({ send: 'send', sendBytes: 'sendBytes' }),
  closeWhenUsersExit: true,
  methods: {
    async recvBytesInto(this: BytesReader, buf: ArrayBufferView | ArrayBuffer, offset = 0): Promise<number> {
      const target = recvIntoTarget(buf, offset);
      return copyMessageInto(target, offset, await this.recvBytes());
    },
    recvBytesIntoSync(this: BytesReader, buf: ArrayBufferView | ArrayBuffer, offset = 0): number {
      const target = recvIntoTarget(buf, offset);
      return copyMessageInto(target, offset, this.recvBytesSync());
    },
    [Symbol.dispose](this: { close(): void }): void {
      this.close();
    },
  },
};
