import { BufferTooShortError, EOFError, StateError } from '@multiprocessing/core';
import { Connection } from '../../src/connection.js';
import { Pipe } from '../../src/pipe.js';
import { within } from '../helpers.js';

describe(Pipe, () => {
  it('connects two ends in both directions', async () => {
    const [a, b] = Pipe();
    a.send({ hello: 'b' });
    b.send(['hello', 'a']);
    expect(await b.recv()).toEqual({ hello: 'b' });
    expect(a.recvSync()).toEqual(['hello', 'a']);
    expect([a.readable, a.writable, b.readable, b.writable]).toEqual([true, true, true, true]);
    expect(a).toBeInstanceOf(Connection);
  });

  it('keeps message boundaries', async () => {
    const [a, b] = Pipe();
    a.sendBytes(new TextEncoder().encode('a'));
    a.sendBytes(new TextEncoder().encode('b'));
    a.sendBytes(new TextEncoder().encode('cd'));
    const got = [await b.recvBytes(), b.recvBytesSync(), await b.recvBytes()];
    expect(got.map((x) => new TextDecoder().decode(x))).toEqual(['a', 'b', 'cd']);
  });

  it('makes a one-way pipe with Pipe(false): the first end reads, the second writes', async () => {
    const [r, w] = Pipe(false);
    expect([r.readable, r.writable, w.readable, w.writable]).toEqual([true, false, false, true]);
    expect(() => {
      r.send(1);
    }).toThrow(new StateError('connection is read-only'));
    expect(() => {
      r.sendBytes(new Uint8Array(1));
    }).toThrow('connection is read-only');
    await expect(w.recv()).rejects.toThrow(new StateError('connection is write-only'));
    expect(() => w.recvSync()).toThrow('connection is write-only');
    expect(() => w.pollSync()).toThrow('connection is write-only');
    w.send('one way');
    expect(await r.recv()).toBe('one way');
  });

  it('polls: at once by default, for a while with a timeout', async () => {
    const [a, b] = Pipe();
    expect(await b.poll()).toBe(false);
    expect(b.pollSync()).toBe(false);
    const t = performance.now();
    expect(await b.poll(0.05)).toBe(false);
    expect(performance.now() - t).toBeGreaterThanOrEqual(45);
    expect(b.pollSync(-1)).toBe(false);
    const waiting = b.poll(null);
    a.send(1);
    expect(await within(waiting, 5000, 'poll')).toBe(true);
    expect(b.pollSync()).toBe(true);
    expect(await b.recv()).toBe(1);
  });

  it('reports a zero-length message to poll() without consuming it', async () => {
    const [a, b] = Pipe();
    a.sendBytes(new Uint8Array(0));
    expect(await b.poll()).toBe(true);
    expect(await b.poll()).toBe(true);
    expect((await b.recvBytes()).length).toBe(0);
    expect(await b.poll()).toBe(false);
  });

  it("validates sendBytes offset and size with Python's messages", () => {
    const [a] = Pipe();
    const buf = new Uint8Array(4);
    expect(() => {
      a.sendBytes(buf, -1);
    }).toThrow(new RangeError('offset is negative'));
    expect(() => {
      a.sendBytes(buf, 5);
    }).toThrow(new RangeError('buffer length < offset'));
    expect(() => {
      a.sendBytes(buf, 1, -1);
    }).toThrow(new RangeError('size is negative'));
    expect(() => {
      a.sendBytes(buf, 1, 4);
    }).toThrow(new RangeError('buffer length < offset + size'));
    expect(() => {
      a.sendBytes('abc' as unknown as Uint8Array);
    }).toThrow(TypeError);
  });

  it("checks receive arguments as the socket Connection does (core's one checker)", async () => {
    const [a, b] = Pipe();
    const buf = new Uint8Array(4);
    expect(() => {
      a.sendBytes(buf, 1.5);
    }).toThrow(new TypeError('offset must be an integer'));
    await expect(b.recvBytes(1.5)).rejects.toThrow(new TypeError('maxlength must be an integer'));
    await expect(b.recvBytes(-1)).rejects.toThrow(new RangeError('negative maxlength'));
    await expect(b.recvBytesInto(buf, 5)).rejects.toThrow(new RangeError('offset too large'));
    await expect(b.recvBytesInto(buf, -1)).rejects.toThrow(new RangeError('negative offset'));
    expect(() => b.recvBytesIntoSync(buf, 5)).toThrow(new RangeError('offset too large'));
    a.close();
    b.close();
  });

  it('sends a slice with offset and size, and offset == length as an empty message', async () => {
    const [a, b] = Pipe();
    a.sendBytes(new Uint8Array([1, 2, 3, 4, 5]), 1, 3);
    a.sendBytes(new Uint16Array([1, 2]).buffer, 2);
    a.sendBytes(new Uint8Array(3), 3);
    expect([...(await b.recvBytes())]).toEqual([2, 3, 4]);
    expect([...(await b.recvBytes())]).toEqual([2, 0]);
    expect((await b.recvBytes()).length).toBe(0);
  });

  it('refuses a message longer than maxlength with "bad message length"', async () => {
    const [a, b] = Pipe();
    a.sendBytes(new Uint8Array(10));
    await expect(b.recvBytes(5)).rejects.toThrow(new StateError('bad message length'));
    expect(() => b.recvBytesSync(9)).toThrow('bad message length');
    expect((await b.recvBytes(10)).length).toBe(10);
  });

  it('receives into a buffer, or raises BufferTooShortError carrying the message', async () => {
    const [a, b] = Pipe();
    a.sendBytes(new Uint8Array([1, 2, 3]));
    const into = new Uint8Array(8);
    expect(await b.recvBytesInto(into, 4)).toBe(3);
    expect([...into]).toEqual([0, 0, 0, 0, 1, 2, 3, 0]);
    a.sendBytes(new Uint8Array([9, 9, 9, 9]));
    let caught: unknown;
    try {
      b.recvBytesIntoSync(new Uint8Array(8), 6);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BufferTooShortError);
    expect([...((caught as BufferTooShortError).data ?? [])]).toEqual([9, 9, 9, 9]);
  });

  it('raises "handle is closed" after close()', async () => {
    const [a, b] = Pipe();
    a.close();
    expect(a.closed).toBe(true);
    expect(() => {
      a.send(1);
    }).toThrow(new StateError('handle is closed'));
    await expect(a.recv()).rejects.toThrow('handle is closed');
    await expect(a.poll()).rejects.toThrow('handle is closed');
    expect(() => a.recvBytesSync()).toThrow('handle is closed');
    a.close();
    expect(b.closed).toBe(false);
  });

  it('raises EOFError once the other end is closed and drained', async () => {
    const [a, b] = Pipe();
    a.send('last words');
    a.close();
    expect(await b.poll()).toBe(true);
    expect(await b.recv()).toBe('last words');
    expect(b.pollSync()).toBe(true);
    await expect(b.recv()).rejects.toThrow(EOFError);
    expect(() => b.recvSync()).toThrow(EOFError);
  });

  it('wakes a pending recv with EOFError when the other end closes', async () => {
    const [a, b] = Pipe();
    const pending = b.recv();
    a.close();
    await expect(within(pending, 5000, 'recv')).rejects.toThrow(EOFError);
  });

  it('serialises concurrent recv() calls on one end', async () => {
    const [a, b] = Pipe<number>();
    const all = Promise.all([b.recv(), b.recv(), b.recv()]);
    for (let i = 0; i < 3; i++) a.send(i);
    expect(await within(all, 5000, 'recv')).toEqual([0, 1, 2]);
  });

  it('never blocks send: a message larger than the ring is buffered and streamed', async () => {
    const [a, b] = Pipe();
    const big = new Uint8Array(50 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 1 << 20) big[i] = (i >> 20) + 1;
    a.sendBytes(big);
    a.send('after');
    const back = await within(b.recvBytes(), 30_000, 'recvBytes');
    expect(back.length).toBe(big.length);
    expect(Buffer.compare(back, big)).toBe(0);
    expect(b.recvSync()).toBe('after');
  });

  it('flushes buffered output while the sending thread blocks in a …Sync call', () => {
    const [a, b] = Pipe();
    a.sendBytes(new Uint8Array(1 << 20).fill(3));
    const back = b.recvBytesSync();
    expect(back.length).toBe(1 << 20);
    expect(back[back.length - 1]).toBe(3);
  });

  it('throws "broken pipe" when sending to an end that is closed everywhere', () => {
    const [a, b] = Pipe();
    b.close();
    expect(() => {
      a.send(1);
    }).toThrow(new StateError('broken pipe'));
  });
});
