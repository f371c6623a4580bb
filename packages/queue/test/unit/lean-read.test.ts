import { EOFError, StateError } from '@multiprocessing/core';
import { Connection } from '../../src/connection.js';
import { Pipe } from '../../src/pipe.js';
import { within } from '../helpers.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
/** The wait `_readable()` returned; fails the test when it returned none. */
function pending(wait: Promise<unknown> | undefined): Promise<unknown> {
  if (wait === undefined) throw new Error('expected a pending wait');
  return wait;
}
const text = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : new TextDecoder().decode(b);

describe('Connection lean read (_recvBytesNow, _readable)', () => {
  it('takes whole messages now, in order, and nothing from an empty ring', () => {
    const [a, b] = Pipe<never>();
    expect(b._recvBytesNow()).toBeUndefined();
    a.sendBytes(bytes('one'));
    a.sendBytes(bytes('two'));
    expect(text(b._recvBytesNow())).toBe('one');
    expect(text(b._recvBytesNow())).toBe('two');
    expect(b._recvBytesNow()).toBeUndefined();
    a.close();
    b.close();
  });

  it('waits only while the ring is empty, and settles when the peer writes', async () => {
    const [a, b] = Pipe<never>();
    a.sendBytes(bytes('there'));
    expect(b._readable()).toBeUndefined();
    expect(text(b._recvBytesNow())).toBe('there');
    const wait = pending(b._readable());
    a.sendBytes(bytes('later'));
    await within(wait, 5000, 'the wait for a message');
    expect(text(b._recvBytesNow())).toBe('later');
    a.close();
    b.close();
  });

  it('settles when the peer closes; the stream read then reports EOF', async () => {
    const [a, b] = Pipe<never>();
    const wait = pending(b._readable());
    a.close();
    await within(wait, 5000, 'the wait for EOF');
    expect(b._recvBytesNow()).toBeUndefined();
    expect(b._readable()).toBeUndefined();
    await expect(b.recvBytes()).rejects.toThrow(EOFError);
    b.close();
  });

  it('settles when this handle closes; the handle then refuses reads', async () => {
    const [a, b] = Pipe<never>();
    const wait = pending(b._readable());
    b.close();
    await within(wait, 5000, 'the wait of a closed handle');
    expect(() => b._recvBytesNow()).toThrow(new StateError('handle is closed'));
    expect(() => b._readable()).toThrow(new StateError('handle is closed'));
    a.close();
  });

  it('leaves a message larger than the ring to the streaming read', async () => {
    const [a, b] = Connection.create<never>(true, 1024);
    const big = new Uint8Array(4000).map((_, i) => i % 251);
    a.sendBytes(big);
    // Only the first ring's worth is there: not a whole message, but bytes to read.
    expect(b._recvBytesNow()).toBeUndefined();
    expect(b._readable()).toBeUndefined();
    expect(await within(b.recvBytes(), 5000, 'the streamed message')).toEqual(big);
    expect(b._recvBytesNow()).toBeUndefined();
    a.close();
    b.close();
  });

  it('refuses a write-only end', () => {
    const [, w] = Pipe<never>(false);
    expect(() => w._recvBytesNow()).toThrow(new StateError('connection is write-only'));
    expect(() => w._readable()).toThrow(new StateError('connection is write-only'));
    w.close();
  });
});
