/** The shared Connection suite, part three: EOF, closed handles and the blocking twins. */
import { BufferTooShortError, EOFError, StateError } from '@multiprocessing/core';
import { within } from '@multiprocessing/test-utils';
import {
  BOUND_MS,
  expectError,
  poll,
  recv,
  recvBytes,
  rejection,
  thrown,
  type Bytes,
  type SuiteConnection,
  type SuiteContext,
} from './connection-suite-kit.js';

export function endTests({ ends, capabilities }: SuiteContext): void {
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
    expectError(
      thrown(() => {
        a.send(1);
      }),
      StateError,
      'handle is closed',
    );
    expectError(
      thrown(() => {
        a.sendBytes(new Uint8Array(1));
      }),
      StateError,
      'handle is closed',
    );
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
    expect(await within(pending, BOUND_MS, "poll(30) pending at the other end's close")).toBe(true);
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
    expectError(
      await rejection(() => b.recv(), 'recv at the other end'),
      EOFError,
      'connection closed by the other end',
    );
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
      expectError(
        thrown(() => sync.recvBytesSync(2)),
        StateError,
        'bad message length',
      );
      expect([...sync.recvBytesSync(3)]).toEqual([1, 2, 3]);
      const err = thrown(() => sync.recvBytesIntoSync(new ArrayBuffer(1)));
      expectError(err, BufferTooShortError, 'buffer too short');
      a.close();
      expectError(
        thrown(() => sync.recvSync()),
        EOFError,
        'connection closed by the other end',
      );
      b.close();
      expectError(
        thrown(() => sync.pollSync()),
        StateError,
        'handle is closed',
      );
    });
  } else {
    it('has no blocking receive twins: its own event loop reads the socket', async () => {
      const [a] = await ends();
      for (const twin of ['recvSync', 'recvBytesSync', 'recvBytesIntoSync', 'pollSync']) {
        expect(twin in a).toBe(false);
      }
    });
  }
}
