/**
 * One test suite for both Connection classes of the project, which mirror
 * `multiprocessing.connection.Connection`: a Pipe's (`@multiprocessing/queue`,
 * shared memory between threads) and a socket's (`Listener` and `Client`).
 * What both must do alike is written once; where they differ by design, a
 * capability names the difference and the reason.
 */
import { BufferTooShortError, EOFError, PicklingError, StateError, encode } from '@multiprocessing/core';
import { within } from '@multiprocessing/test-utils';

type Bytes = ArrayBufferView | ArrayBuffer | SharedArrayBuffer;

/** The API both classes share. */
export interface SuiteConnection {
  readonly closed: boolean;
  readonly readable: boolean;
  readonly writable: boolean;
  send(obj: unknown): void;
  sendBytes(buf: Bytes, offset?: number, size?: number): void;
  recv(): Promise<unknown>;
  recvBytes(maxlength?: number): Promise<Uint8Array>;
  recvBytesInto(buf: Bytes, offset?: number): Promise<number>;
  poll(timeout?: number | null): Promise<boolean>;
  close(): void;
  [Symbol.dispose](): void;
  toString(): string;
}

/** Two connected ends, and how to release everything that made them. */
export interface ConnectionPair {
  a: SuiteConnection;
  b: SuiteConnection;
  dispose(): void | Promise<void>;
}

/** Where the classes differ by design. */
export interface Capabilities {
  /**
   * Blocking receive twins (`recvSync`, `recvBytesSync`, `recvBytesIntoSync`,
   * `pollSync`). A Pipe end waits on shared memory, so it may block its
   * thread; a socket is read by its own thread's event loop, which a
   * blocking call would stop for ever, so a socket Connection has none.
   */
  syncTwins: boolean;
}

/** The bound of every wait: a bug fails the test instead of hanging it. */
const BOUND_MS = 10_000;

/** The error `fn` throws (fails when it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

/**
 * The error a Promise-returning call rejects with. A call that throws
 * instead of returning a rejected Promise fails here: both classes report
 * every error of an async method through its Promise.
 */
async function rejection(call: () => Promise<unknown>, what: string): Promise<unknown> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (err) {
    throw new Error(`${what} threw synchronously instead of rejecting: ${String(err)}`);
  }
  try {
    await within(promise, BOUND_MS, what);
  } catch (err) {
    return err;
  }
  throw new Error(`${what} resolved; expected a rejection`);
}

function expectError(err: unknown, cls: abstract new (...args: never[]) => Error, message: string): void {
  expect(err).toBeInstanceOf(cls);
  expect((err as Error).constructor).toBe(cls);
  expect((err as Error).message).toBe(message);
}

/** What the codec refuses `value` with, as both classes must (one rule, core's). */
function refusalOf(value: unknown): string {
  return (thrown(() => encode(value, 'obj')) as Error).message;
}

/** True when `promise` settles before this thread's event loop turns once. */
async function settlesAtOnce(promise: Promise<unknown>): Promise<boolean> {
  const turn = new Promise<'turned'>((resolve) => {
    setImmediate(() => {
      resolve('turned');
    });
  });
  const first = await Promise.race([promise.then(() => 'settled' as const), turn]);
  await promise;
  return first === 'settled';
}

/**
 * Registers the suite for one class. `makePair` connects two ends; the
 * suite disposes of them after each test.
 */
export function connectionSuite(
  name: string,
  makePair: () => Promise<ConnectionPair>,
  capabilities: Capabilities,
): void {
  describe(`parity: multiprocessing.connection.Connection (${name})`, () => {
    let pair: ConnectionPair | undefined;
    afterEach(async () => {
      const done = pair;
      pair = undefined;
      await done?.dispose();
    });
    async function ends(): Promise<[SuiteConnection, SuiteConnection]> {
      pair = await within(makePair(), BOUND_MS, `${name}: connect a pair`);
      return [pair.a, pair.b];
    }
    const recv = (c: SuiteConnection, what = 'recv'): Promise<unknown> => within(c.recv(), BOUND_MS, what);
    const recvBytes = async (c: SuiteConnection, maxlength?: number): Promise<number[]> => [
      ...(await within(c.recvBytes(maxlength), BOUND_MS, 'recvBytes')),
    ];
    const poll = (c: SuiteConnection, timeout?: number | null): Promise<boolean> =>
      within(c.poll(timeout), BOUND_MS, `poll(${String(timeout)})`);

    it('is duplex and open, and prints as a pipe end', async () => {
      const [a, b] = await ends();
      for (const end of [a, b]) {
        expect([end.readable, end.writable, end.closed]).toEqual([true, true, false]);
        expect(String(end)).toBe('<Connection readable=true writable=true closed=false>');
      }
      a[Symbol.dispose]();
      expect(a.closed).toBe(true);
      expect(String(a)).toBe('<Connection readable=true writable=true closed=true>');
    });

    it('carries rich values both ways unchanged', async () => {
      const [a, b] = await ends();
      const rich = {
        map: new Map<unknown, unknown>([[1, 'one'], ['inner', new Map([[2n, [3, 'x']]])]]),
        set: new Set<unknown>([1, 'two', 3n]),
        date: new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 7)),
        big: 2n ** 70n,
        negBig: -(2n ** 64n),
        negZero: -0,
        nested: [[1, [2, [3, [4, []]]]], [null, true, 'five']],
        bytes: new Uint8Array([0, 1, 254, 255]),
      };
      for (const [from, to] of [[a, b], [b, a]] as const) {
        from.send(rich);
        from.send(-0);
        from.send(-(2n ** 100n));
        const got = (await recv(to)) as typeof rich;
        expect(got).toEqual(rich);
        expect(Object.is(got.negZero, -0)).toBe(true);
        expect(got.date).toBeInstanceOf(Date);
        expect(Object.getPrototypeOf(got.bytes)).toBe(Uint8Array.prototype);
        expect(Object.is(await recv(to), -0)).toBe(true);
        expect(await recv(to)).toBe(-(2n ** 100n));
      }
    });

    it('keeps the order of objects and byte messages, large ones included', async () => {
      const [a, b] = await ends();
      // 1 MiB: more than a Pipe's ring, and many socket chunks.
      const large = new Uint8Array(1 << 20).map((_, i) => i % 251);
      for (let i = 0; i < 300; i++) {
        if (i === 150) a.sendBytes(large);
        else if (i % 3 === 0) a.sendBytes(new Uint8Array([i & 0xff, i >> 8]));
        else a.send({ i, text: 'x'.repeat(i) });
      }
      for (let i = 0; i < 300; i++) {
        if (i === 150) {
          const got = await within(b.recvBytes(), BOUND_MS, 'the large message');
          expect(Buffer.from(got).equals(large)).toBe(true);
        }
        else if (i % 3 === 0) expect(await recvBytes(b)).toEqual([i & 0xff, i >> 8]);
        else expect(await recv(b)).toEqual({ i, text: 'x'.repeat(i) });
      }
      expect(await b.poll()).toBe(false);
    });

    it('answers poll() with no argument at once, and poll does not consume', async () => {
      const [a, b] = await ends();
      expect(await settlesAtOnce(b.poll())).toBe(true);
      expect(await b.poll()).toBe(false);
      a.send('here');
      expect(await poll(b, null)).toBe(true);
      const again = b.poll();
      expect(await settlesAtOnce(again)).toBe(true);
      expect(await again).toBe(true);
      expect(await recv(b)).toBe('here');
      expect(await b.poll()).toBe(false);
    });

    it('answers poll(0.2) false when nothing comes, true once a message is sent', async () => {
      const [a, b] = await ends();
      expect(await poll(b, 0.2)).toBe(false);
      const waiting = b.poll(30);
      a.send(1);
      expect(await within(waiting, BOUND_MS, 'poll(30) woken by a send')).toBe(true);
      expect(await poll(b, 0.2)).toBe(true);
      const forever = b.poll(Infinity);
      expect(await within(forever, BOUND_MS, 'poll(Infinity) with data')).toBe(true);
      expect(await recv(b)).toBe(1);
      const pending = b.poll(Infinity);
      a.sendBytes(new Uint8Array(0));
      expect(await within(pending, BOUND_MS, 'poll(Infinity) woken by a send')).toBe(true);
      expect(await recvBytes(b)).toEqual([]);
    });

    it('refuses bad poll timeouts through the Promise, with the same errors', async () => {
      const [, b] = await ends();
      expectError(await rejection(() => b.poll(Number.NaN), 'poll(NaN)'), RangeError,
        'timeout must be a number of seconds, got NaN');
      expectError(await rejection(() => b.poll('1' as never), "poll('1')"), TypeError,
        "timeout must be a number of seconds, null or undefined, got string '1'");
      expect(await poll(b, -1)).toBe(false);
    });

    it('sends the bytes of sendBytes(buf, offset, size), offsets counted in bytes', async () => {
      const [a, b] = await ends();
      const buf = new Uint8Array([10, 11, 12, 13, 14, 15]);
      a.sendBytes(buf);
      a.sendBytes(buf, 2);
      a.sendBytes(buf, 1, 3);
      a.sendBytes(buf, 6);
      a.sendBytes(buf, 0, 0);
      a.sendBytes(buf.buffer, 4, 2);
      a.sendBytes(new DataView(buf.buffer, 1, 4), 1, 2);
      a.sendBytes(new Uint16Array([0x0102, 0x0304]), 1, 2);
      const shared = new SharedArrayBuffer(3);
      new Uint8Array(shared).set([7, 8, 9]);
      a.sendBytes(shared, 1);
      const expected = [[10, 11, 12, 13, 14, 15], [12, 13, 14, 15], [11, 12, 13], [], [], [14, 15], [12, 13], [1, 4], [8, 9]];
      for (const want of expected) expect(await recvBytes(b)).toEqual(want);
    });

    it('refuses every bad sendBytes argument with the same class and message, sending nothing', async () => {
      const [a, b] = await ends();
      const buf = new Uint8Array(6);
      const bad: [() => void, new (message: string) => Error, string][] = [
        [() => { a.sendBytes(buf, -1); }, RangeError, 'offset is negative'],
        [() => { a.sendBytes(buf, 1.5); }, TypeError, 'offset must be an integer'],
        [() => { a.sendBytes(buf, Number.NaN); }, TypeError, 'offset must be an integer'],
        [() => { a.sendBytes(buf, '1' as never); }, TypeError, 'offset must be an integer'],
        [() => { a.sendBytes(buf, 7); }, RangeError, 'buffer length < offset'],
        [() => { a.sendBytes(buf, 0, -1); }, RangeError, 'size is negative'],
        [() => { a.sendBytes(buf, 0, 1.5); }, TypeError, 'size must be an integer'],
        [() => { a.sendBytes(buf, 0, 7); }, RangeError, 'buffer length < offset + size'],
        [() => { a.sendBytes(buf, 4, 3); }, RangeError, 'buffer length < offset + size'],
        [() => { a.sendBytes('abc' as never); }, TypeError,
          'buf must be a bytes-like object (a typed array, DataView, ArrayBuffer or SharedArrayBuffer)'],
        [() => { a.sendBytes([1, 2] as never); }, TypeError,
          'buf must be a bytes-like object (a typed array, DataView, ArrayBuffer or SharedArrayBuffer)'],
      ];
      for (const [call, cls, message] of bad) expectError(thrown(call), cls, message);
      expect(await poll(b, 0.2)).toBe(false);
      a.sendBytes(new Uint8Array([42]));
      expect(await recvBytes(b)).toEqual([42]);
    });

    it('refuses a message longer than maxlength and leaves it unread', async () => {
      const [a, b] = await ends();
      a.sendBytes(new Uint8Array(10).fill(3));
      expect(await poll(b, null)).toBe(true);
      expectError(await rejection(() => b.recvBytes(9), 'recvBytes(9)'), StateError, 'bad message length');
      expect(await recvBytes(b, 10)).toEqual(new Array<number>(10).fill(3));
      // The same when the receive waits for the message.
      const tooShort = rejection(() => b.recvBytes(3), 'pending recvBytes(3)');
      const next = within(b.recvBytes(), BOUND_MS, 'recvBytes after the refusal');
      a.sendBytes(new Uint8Array([1, 2, 3, 4]));
      a.sendBytes(new Uint8Array([5]));
      expectError(await tooShort, StateError, 'bad message length');
      expect([...(await next)]).toEqual([1, 2, 3, 4]);
      expect(await recvBytes(b, 1)).toEqual([5]);
      a.sendBytes(new Uint8Array(0));
      expect(await recvBytes(b, 0)).toEqual([]);
      expectError(await rejection(() => b.recvBytes(1.5), 'recvBytes(1.5)'), TypeError, 'maxlength must be an integer');
      expectError(await rejection(() => b.recvBytes('5' as never), "recvBytes('5')"), TypeError,
        'maxlength must be an integer');
      expectError(await rejection(() => b.recvBytes(-1), 'recvBytes(-1)'), RangeError, 'negative maxlength');
    });

    it('receives into a Uint8Array, an ArrayBuffer, a SharedArrayBuffer and a wider view', async () => {
      const [a, b] = await ends();
      const into = (buf: Bytes, offset?: number): Promise<number> =>
        within(b.recvBytesInto(buf, offset), BOUND_MS, 'recvBytesInto');
      const u8 = new Uint8Array(8);
      a.sendBytes(new Uint8Array([1, 2, 3]));
      expect(await into(u8, 2)).toBe(3);
      expect([...u8]).toEqual([0, 0, 1, 2, 3, 0, 0, 0]);
      const ab = new ArrayBuffer(4);
      a.sendBytes(new Uint8Array([7, 8]));
      expect(await into(ab)).toBe(2);
      expect([...new Uint8Array(ab)]).toEqual([7, 8, 0, 0]);
      const sab = new SharedArrayBuffer(3);
      a.sendBytes(new Uint8Array([4, 5, 6]));
      expect(await into(sab)).toBe(3);
      expect([...new Uint8Array(sab)]).toEqual([4, 5, 6]);
      const wide = new Uint16Array(2);
      a.sendBytes(new Uint8Array([9, 9]));
      expect(await into(wide, 1)).toBe(2);
      expect([...new Uint8Array(wide.buffer)]).toEqual([0, 9, 9, 0]);
      a.sendBytes(new Uint8Array(0));
      expect(await into(u8, 8)).toBe(0);
    });

    it('gives BufferTooShortError with the whole message, which is consumed', async () => {
      const [a, b] = await ends();
      const small = new Uint8Array(3);
      a.sendBytes(new Uint8Array([9, 8, 7, 6]));
      a.sendBytes(new Uint8Array([1, 2, 3]));
      a.send('after');
      const err = await rejection(() => b.recvBytesInto(small), 'recvBytesInto too short');
      expectError(err, BufferTooShortError, 'buffer too short');
      expect([...((err as BufferTooShortError).data ?? [])]).toEqual([9, 8, 7, 6]);
      expect([...small]).toEqual([0, 0, 0]);
      // Too short because of the offset.
      const err2 = await rejection(() => b.recvBytesInto(new Uint8Array(4), 2), 'recvBytesInto past offset');
      expectError(err2, BufferTooShortError, 'buffer too short');
      expect([...((err2 as BufferTooShortError).data ?? [])]).toEqual([1, 2, 3]);
      expect(await recv(b)).toBe('after');
      const target = new Uint8Array(4);
      expectError(await rejection(() => b.recvBytesInto(target, -1), 'offset -1'), RangeError, 'negative offset');
      expectError(await rejection(() => b.recvBytesInto(target, 5), 'offset 5'), RangeError, 'offset too large');
      expectError(await rejection(() => b.recvBytesInto(target, 1.5), 'offset 1.5'), TypeError, 'offset must be an integer');
      expectError(await rejection(() => b.recvBytesInto('abc' as never), 'string target'), TypeError,
        'buf must be a bytes-like object (a typed array, DataView, ArrayBuffer or SharedArrayBuffer)');
    });

    it('gives EOFError once the other end is closed and drained', async () => {
      const [a, b] = await ends();
      a.send('last');
      a.sendBytes(new Uint8Array([1]));
      a.close();
      expect(await recv(b)).toBe('last');
      expect(await recvBytes(b)).toEqual([1]);
      expect(await poll(b, null)).toBe(true);
      expect(await b.poll()).toBe(true);
      for (const [what, call] of [
        ['recv', () => b.recv()],
        ['recvBytes', () => b.recvBytes()],
        ['recvBytesInto', () => b.recvBytesInto(new Uint8Array(4))],
        ['recv again', () => b.recv()],
      ] as const) {
        expectError(await rejection(call, `${what} at EOF`), EOFError, 'connection closed by the other end');
      }
      expect(b.closed).toBe(false);
    });

    it('wakes a pending recv with EOFError when the other end closes', async () => {
      const [a, b] = await ends();
      const pending = rejection(() => b.recv(), 'recv pending at close');
      a.close();
      expectError(await pending, EOFError, 'connection closed by the other end');
    });

    it("refuses every operation on a closed handle with StateError('handle is closed')", async () => {
      const [a, b] = await ends();
      a.close();
      a.close();
      expect(a.closed).toBe(true);
      expect(b.closed).toBe(false);
      expectError(thrown(() => { a.send(1); }), StateError, 'handle is closed');
      expectError(thrown(() => { a.sendBytes(new Uint8Array(1)); }), StateError, 'handle is closed');
      for (const [what, call] of [
        ['recv', () => a.recv()],
        ['recvBytes', () => a.recvBytes()],
        ['recvBytesInto', () => a.recvBytesInto(new Uint8Array(4))],
        ['poll()', () => a.poll()],
        ['poll(0.2)', () => a.poll(0.2)],
      ] as const) {
        expectError(await rejection(call, `${what} on a closed handle`), StateError, 'handle is closed');
      }
    });

    it('wakes a pending poll with true when the other end closes', async () => {
      const [a, b] = await ends();
      const pending = b.poll(30);
      a.close();
      expect(await within(pending, BOUND_MS, 'poll(30) pending at the other end\'s close')).toBe(true);
    });

    it('rejects receives and polls pending on a handle when that handle closes', async () => {
      const [a, b] = await ends();
      const pending = [
        rejection(() => a.recv(), 'recv pending at its own close'),
        rejection(() => a.recvBytes(), 'recvBytes pending at its own close'),
        rejection(() => a.recvBytesInto(new Uint8Array(4)), 'recvBytesInto pending at its own close'),
        rejection(() => a.poll(null), 'poll(null) pending at its own close'),
        rejection(() => a.poll(30), 'poll(30) pending at its own close'),
      ];
      // Let every call reach its wait before the close.
      await new Promise((resolve) => {
        setImmediate(resolve);
      });
      a.close();
      for (const err of await Promise.all(pending)) expectError(err, StateError, 'handle is closed');
      expectError(await rejection(() => b.recv(), 'recv at the other end'), EOFError,
        'connection closed by the other end');
    });

    it('refuses a function, a Promise and other values the codec refuses, sending nothing', async () => {
      const [a, b] = await ends();
      const refused: unknown[] = [
        { cb: function onDone(): void {} },
        [1, [Promise.resolve(2)]],
        new Map([['k', new WeakMap()]]),
        { s: Symbol('s') },
        () => 0,
      ];
      for (const value of refused) {
        expectError(thrown(() => { a.send(value); }), PicklingError, refusalOf(value));
      }
      expect(await poll(b, 0.2)).toBe(false);
      a.send('after');
      expect(await recv(b)).toBe('after');
    });

    if (capabilities.syncTwins) {
      it('has blocking receive twins that behave as the async methods', async () => {
        const [a, b] = await ends();
        const sync = b as SuiteConnection & {
          recvSync(): unknown;
          recvBytesSync(maxlength?: number): Uint8Array;
          recvBytesIntoSync(buf: Bytes, offset?: number): number;
          pollSync(timeout?: number | null): boolean;
        };
        expect(sync.pollSync()).toBe(false);
        a.send(new Map([[1, -0]]));
        a.sendBytes(new Uint8Array([1, 2, 3]));
        a.sendBytes(new Uint8Array([4, 5]));
        expect(sync.pollSync(null)).toBe(true);
        expect(sync.recvSync()).toEqual(new Map([[1, -0]]));
        expectError(thrown(() => sync.recvBytesSync(2)), StateError, 'bad message length');
        expect([...sync.recvBytesSync(3)]).toEqual([1, 2, 3]);
        const err = thrown(() => sync.recvBytesIntoSync(new ArrayBuffer(1)));
        expectError(err, BufferTooShortError, 'buffer too short');
        a.close();
        expectError(thrown(() => sync.recvSync()), EOFError, 'connection closed by the other end');
        b.close();
        expectError(thrown(() => sync.pollSync()), StateError, 'handle is closed');
      });
    } else {
      it('has no blocking receive twins: its own event loop reads the socket', async () => {
        const [a] = await ends();
        for (const twin of ['recvSync', 'recvBytesSync', 'recvBytesIntoSync', 'pollSync']) {
          expect(twin in a).toBe(false);
        }
      });
    }
  });
}
