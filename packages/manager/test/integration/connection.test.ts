import { Client, Listener, type Connection } from '@multiprocessing/manager';
import { rejection, within } from './helpers.js';

describe('Listener and Client', () => {
  const open: { close(): void }[] = [];
  afterEach(() => {
    for (const x of open.splice(0)) x.close();
  });

  async function pair(
    address?: ConstructorParameters<typeof Listener>[0],
    authkey?: string,
  ): Promise<[Connection, Connection, Listener]> {
    const listener = new Listener(address, authkey === undefined ? {} : { authkey });
    open.push(listener);
    const bound = await listener.ready();
    const [client, server] = await within(
      Promise.all([Client(bound, authkey === undefined ? {} : { authkey }), listener.accept()]),
      10_000,
      'connect',
    );
    open.push(client, server);
    return [client, server, listener];
  }

  it('round-trips objects and bytes over a Unix socket with an authkey', async () => {
    const [client, server] = await pair(undefined, 'secret');
    client.send({ n: 1, list: [1, 2, 3], map: new Map([[1, 'one']]), big: 2n ** 70n });
    client.sendBytes(new Uint8Array([1, 2, 3, 4, 5]), 1, 3);
    client.sendBytes(new Uint8Array(0));
    expect(await server.recv()).toEqual({
      n: 1,
      list: [1, 2, 3],
      map: new Map([[1, 'one']]),
      big: 2n ** 70n,
    });
    expect([...(await server.recvBytes())]).toEqual([2, 3, 4]);
    expect(await server.poll()).toBe(true);
    expect((await server.recvBytes()).length).toBe(0);
    server.send('reply');
    expect(await client.recv()).toBe('reply');
  });

  it("checks byte arguments as a Pipe does (core's one checker, Python's messages)", async () => {
    const [client, server] = await pair();
    const buf = new Uint8Array(4);
    expect(() => {
      client.sendBytes(buf, 1.5);
    }).toThrow(new TypeError('offset must be an integer'));
    expect(() => {
      client.sendBytes(buf, 0, 1.5);
    }).toThrow(new TypeError('size must be an integer'));
    expect(() => {
      client.sendBytes(buf, -1);
    }).toThrow(new RangeError('offset is negative'));
    expect(() => {
      client.sendBytes(buf, 5);
    }).toThrow(new RangeError('buffer length < offset'));
    expect(() => {
      client.sendBytes(buf, 0, -1);
    }).toThrow(new RangeError('size is negative'));
    expect(() => {
      client.sendBytes(buf, 2, 3);
    }).toThrow(new RangeError('buffer length < offset + size'));
    expect(() => {
      client.sendBytes('abc' as never);
    }).toThrow(TypeError);
    await expect(server.recvBytes(1.5)).rejects.toThrow(new TypeError('maxlength must be an integer'));
    await expect(server.recvBytes(-1)).rejects.toThrow(new RangeError('negative maxlength'));
    await expect(server.recvBytesInto(buf, 5)).rejects.toThrow(new RangeError('offset too large'));
    await expect(server.recvBytesInto(buf, -1)).rejects.toThrow(new RangeError('negative offset'));
    // An ArrayBuffer is a writable target, as in a Pipe.
    const target = new ArrayBuffer(8);
    client.sendBytes(new Uint8Array([7, 8, 9]).buffer);
    expect(await within(server.recvBytesInto(target, 2), 10_000, 'recvBytesInto')).toBe(3);
    expect([...new Uint8Array(target)]).toEqual([0, 0, 7, 8, 9, 0, 0, 0]);
  });

  it('serves TCP on 127.0.0.1 with port 0 and reports the bound port', async () => {
    const [client, server, listener] = await pair({ host: '127.0.0.1', port: 0 });
    expect(listener.address).toEqual({ host: '127.0.0.1', port: expect.any(Number) });
    expect((listener.address as { port: number }).port).toBeGreaterThan(0);
    server.send([1, 'two']);
    expect(await client.recv()).toEqual([1, 'two']);
  });

  it('keeps boundaries of many pipelined messages', async () => {
    const [client, server] = await pair();
    for (let i = 0; i < 1000; i++) client.send(i);
    const got: unknown[] = [];
    for (let i = 0; i < 1000; i++) got.push(await server.recv());
    expect(got).toEqual([...Array(1000).keys()]);
  });

  it("fails both sides of a wrong key with Python's messages", async () => {
    const listener = new Listener({ host: '127.0.0.1', port: 0 }, { authkey: 'right' });
    open.push(listener);
    const address = await listener.ready();
    const [clientErr, serverErr] = await Promise.all([
      rejection(Client(address, { authkey: 'wrong' })),
      rejection(listener.accept()),
    ]);
    expect(clientErr.name).toBe('AuthenticationError');
    expect(clientErr.message).toBe('digest sent was rejected');
    expect(serverErr.name).toBe('AuthenticationError');
    expect(serverErr.message).toBe('digest received was wrong');
  });

  it('gives BufferTooShortError, bad message length, EOFError and handle is closed', async () => {
    const [client, server] = await pair();
    client.sendBytes(new Uint8Array([9, 9, 9, 9]));
    const small = new Uint8Array(3);
    const err = await rejection(server.recvBytesInto(small));
    expect(err.name).toBe('BufferTooShortError');
    expect([...(err as unknown as { data: Uint8Array }).data]).toEqual([9, 9, 9, 9]);
    client.sendBytes(new Uint8Array(10));
    expect((await rejection(server.recvBytes(5))).message).toBe('bad message length');
    // The too-long message stays unread, as in a Pipe.
    expect((await server.recvBytes(10)).length).toBe(10);
    client.sendBytes(new Uint8Array([7]));
    const into = new Uint8Array(4);
    expect(await server.recvBytesInto(into, 2)).toBe(1);
    expect([...into]).toEqual([0, 0, 7, 0]);
    expect(await server.poll(0.01)).toBe(false);
    client.send('last');
    client.close();
    expect(await server.recv()).toBe('last');
    expect(await server.poll(null)).toBe(true);
    expect((await rejection(server.recv())).name).toBe('EOFError');
    expect(() => {
      client.send(1);
    }).toThrow('handle is closed');
    expect((await rejection(client.recv())).message).toBe('handle is closed');
  });

  it('wakes a poll with a timeout when data arrives', async () => {
    const [client, server] = await pair();
    const polled = server.poll(10);
    client.send('x');
    expect(await within(polled, 5000, 'poll(10) woken by a send')).toBe(true);
  });
});
