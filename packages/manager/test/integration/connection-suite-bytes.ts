/** The shared Connection suite, part two: the byte methods and their arguments. */
import { BufferTooShortError, StateError } from '@multiprocessing/core';
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
  type SuiteContext,
} from './connection-suite-kit.js';

export function byteTests({ ends }: SuiteContext): void {
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
    const expected = [
      [10, 11, 12, 13, 14, 15],
      [12, 13, 14, 15],
      [11, 12, 13],
      [],
      [],
      [14, 15],
      [12, 13],
      [1, 4],
      [8, 9],
    ];
    for (const want of expected) expect(await recvBytes(b)).toEqual(want);
  });

  it('refuses every bad sendBytes argument with the same class and message, sending nothing', async () => {
    const [a, b] = await ends();
    const buf = new Uint8Array(6);
    const bad: [() => void, new (message: string) => Error, string][] = [
      [
        () => {
          a.sendBytes(buf, -1);
        },
        RangeError,
        'offset is negative',
      ],
      [
        () => {
          a.sendBytes(buf, 1.5);
        },
        TypeError,
        'offset must be an integer',
      ],
      [
        () => {
          a.sendBytes(buf, Number.NaN);
        },
        TypeError,
        'offset must be an integer',
      ],
      [
        () => {
          a.sendBytes(buf, '1' as never);
        },
        TypeError,
        'offset must be an integer',
      ],
      [
        () => {
          a.sendBytes(buf, 7);
        },
        RangeError,
        'buffer length < offset',
      ],
      [
        () => {
          a.sendBytes(buf, 0, -1);
        },
        RangeError,
        'size is negative',
      ],
      [
        () => {
          a.sendBytes(buf, 0, 1.5);
        },
        TypeError,
        'size must be an integer',
      ],
      [
        () => {
          a.sendBytes(buf, 0, 7);
        },
        RangeError,
        'buffer length < offset + size',
      ],
      [
        () => {
          a.sendBytes(buf, 4, 3);
        },
        RangeError,
        'buffer length < offset + size',
      ],
      [
        () => {
          a.sendBytes('abc' as never);
        },
        TypeError,
        'buf must be a bytes-like object (a typed array, DataView, ArrayBuffer or SharedArrayBuffer)',
      ],
      [
        () => {
          a.sendBytes([1, 2] as never);
        },
        TypeError,
        'buf must be a bytes-like object (a typed array, DataView, ArrayBuffer or SharedArrayBuffer)',
      ],
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
    expectError(
      await rejection(() => b.recvBytes(1.5), 'recvBytes(1.5)'),
      TypeError,
      'maxlength must be an integer',
    );
    expectError(
      await rejection(() => b.recvBytes('5' as never), "recvBytes('5')"),
      TypeError,
      'maxlength must be an integer',
    );
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
    expectError(
      await rejection(() => b.recvBytesInto(target, -1), 'offset -1'),
      RangeError,
      'negative offset',
    );
    expectError(
      await rejection(() => b.recvBytesInto(target, 5), 'offset 5'),
      RangeError,
      'offset too large',
    );
    expectError(
      await rejection(() => b.recvBytesInto(target, 1.5), 'offset 1.5'),
      TypeError,
      'offset must be an integer',
    );
    expectError(
      await rejection(() => b.recvBytesInto('abc' as never), 'string target'),
      TypeError,
      'buf must be a bytes-like object (a typed array, DataView, ArrayBuffer or SharedArrayBuffer)',
    );
  });
}
