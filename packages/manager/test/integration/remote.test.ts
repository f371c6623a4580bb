import { fork, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  AutoProxy,
  BaseManager,
  Client,
  Manager,
  SyncManager,
  taskRef,
  type Address,
  type Proxied,
  type Server,
} from '@multiprocessing/manager';
import { getContext } from '@multiprocessing/process';
import { rejection, within } from './helpers.js';

const counterUrl = new URL('../fixtures/counter.mjs', import.meta.url);
const serverChild = fileURLToPath(new URL('../fixtures/server-child.mjs', import.meta.url));

interface Counter {
  increment(by?: number): number;
  value(): number;
  slowValue(): Promise<number>;
  fail(): never;
  failCustom(): never;
  child(): Counter;
}

class CounterManager extends BaseManager {
  declare Counter: (start?: number) => Promise<Proxied<Counter>>;
}
CounterManager.register('Counter', taskRef(counterUrl, 'Counter'), { methodToTypeid: { child: 'Counter' } });
CounterManager.register('makeCounter', taskRef(counterUrl, 'makeCounter'), { exposed: ['value'] });

class CounterClient extends BaseManager {}
CounterClient.register('Counter');

describe('BaseManager.register (custom types)', () => {
  let manager: CounterManager;
  beforeAll(async () => {
    manager = new CounterManager({ context: getContext('thread') });
    await within(manager.start(), 20_000, 'manager.start()');
  });
  afterAll(async () => {
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
  });

  it('makes a class with new and exposes its public methods', async () => {
    const counter = await manager.Counter(5);
    expect(counter).toBeInstanceOf(AutoProxy);
    expect(await counter.increment(2)).toBe(7);
    expect(await counter.value()).toBe(7);
    expect(await counter.slowValue()).toBe(7);
    const hidden = await rejection(counter._callMethod('_hidden'));
    expect(hidden.name).toBe('RemoteError');
  });

  it('keeps built-in error classes and turns others into RemoteError', async () => {
    const counter = await manager.Counter();
    const typed = await rejection(counter.fail());
    expect([typed.name, typed.message]).toEqual(['TypeError', 'bad counter']);
    const custom = await rejection(counter.failCustom());
    expect(custom.name).toBe('RemoteError');
    expect(custom.message).toBe('CounterError: custom failure');
    expect(custom.stack).toMatch(/counter\.mjs/);
  });

  it('returns a proxy for a methodToTypeid method and honours exposed', async () => {
    const counter = await manager.Counter(3);
    const child = (await counter.child()) as unknown as Proxied<Counter>;
    expect(child).toBeInstanceOf(AutoProxy);
    expect(await child.value()).toBe(30);
    const made = (await manager.create('makeCounter', 4)) as Proxied<Counter>;
    expect(await made.value()).toBe(4);
    expect((await rejection(made._callMethod('increment'))).name).toBe('RemoteError');
  });

  it('lets a connect-only client create registered types', async () => {
    const client = new CounterClient({ address: manager.address!, authkey: undefined });
    await within(client.connect(), 20_000, 'client.connect()');
    const counter = (await client.create('Counter', 1)) as Proxied<Counter>;
    expect(await counter.increment()).toBe(2);
    expect((await rejection(client.create('Nope'))).name).toBe('RemoteError');
  });
});

describe('TCP manager with an authkey', () => {
  let server: Server;
  let serving: Promise<void>;
  beforeEach(async () => {
    server = new SyncManager({ address: { host: '127.0.0.1', port: 0 }, authkey: 'right key' }).getServer();
    await within(server.listen(), 20_000, 'server.listen()');
    serving = server.serveForever();
  });
  afterEach(async () => {
    server.shutdown();
    await within(serving, 5000, 'serveForever');
  });

  it('serves a client with the right key and reports the bound port', async () => {
    const address = server.address as { host: string; port: number };
    expect(address.host).toBe('127.0.0.1');
    expect(address.port).toBeGreaterThan(0);
    const client = new SyncManager({ address, authkey: 'right key' });
    await within(client.connect(), 20_000, 'client.connect()');
    const d = await client.dict({ x: 1 });
    await d.set('y', 2);
    expect(await d.toObject()).toEqual({ x: 1, y: 2 });
  });

  it('fails connect() with AuthenticationError for the wrong key', async () => {
    const client = new SyncManager({ address: server.address, authkey: 'wrong key' });
    const err = await rejection(client.connect());
    expect([err.name, err.message]).toEqual(['AuthenticationError', 'digest sent was rejected']);
  });

  it('survives garbage, oversized frames and half-open sockets; a good client still works', async () => {
    const address = server.address as { host: string; port: number };
    const hostile = async (bytes: Buffer, end: boolean): Promise<void> => {
      const socket = connect(address.port, address.host);
      socket.on('error', () => undefined);
      const closed = new Promise<void>((resolve) =>
        socket.once('close', () => {
          resolve();
        }),
      );
      socket.on('data', () => undefined);
      await new Promise<void>((resolve) =>
        socket.once('connect', () => {
          resolve();
        }),
      );
      socket.write(bytes);
      if (end) socket.end();
      await within(closed, 10_000, 'server closing a hostile socket');
    };
    const oversized = Buffer.alloc(4);
    oversized.writeUInt32BE(300);
    await within(hostile(Buffer.concat([oversized, Buffer.alloc(300, 1)]), false), 20_000, 'hostile(…)');
    await within(hostile(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), false), 20_000, 'hostile(…)');
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(0xffffffff);
    await within(hostile(huge, false), 20_000, 'hostile(huge, …)');
    // A half-open peer that says nothing and one that hangs up mid-frame.
    const silent = connect(address.port, address.host);
    silent.on('error', () => undefined);
    await within(hostile(Buffer.from([0, 0, 0, 50, 1, 2]), true), 20_000, 'hostile(…)');
    const client = new SyncManager({ address, authkey: 'right key' });
    await within(client.connect(), 20_000, 'client.connect()');
    const l = await client.list([1]);
    expect(await l.length()).toBe(1);
    silent.destroy();
  });

  it('closes an authenticated client that sends a malformed frame, others keep working', async () => {
    const address = server.address as { host: string; port: number };
    const bad = await within(Client(address, { authkey: 'right key' }), 20_000, 'Client(address, …)');
    const big = new Uint8Array(4);
    bad.sendBytes(big);
    expect((await rejection(bad.recv(), 10_000)).name).toBe('EOFError');
    bad.close();
    const good = new SyncManager({ address, authkey: 'right key' });
    await within(good.connect(), 20_000, 'good.connect()');
    const v = await good.Value('i', 3);
    expect(await v.get()).toBe(3);
  });
});

describe('server death', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    child = undefined;
  });

  it('rejects pending and later calls with EOFError when the server process dies', async () => {
    child = fork(serverChild, [JSON.stringify([{ host: '127.0.0.1', port: 0 }, 'k'])], { stdio: 'inherit' });
    const address = await within(
      new Promise<Address>((resolve) =>
        child!.once('message', (m) => {
          resolve((m as { address: Address }).address);
        }),
      ),
      20_000,
      'server child',
    );
    const client = new SyncManager({ address, authkey: 'k' });
    await within(client.connect(), 20_000, 'client.connect()');
    const q = await client.Queue();
    const pending = q.get();
    const exited = new Promise<void>((resolve) =>
      child!.once('exit', () => {
        resolve();
      }),
    );
    child.kill('SIGKILL');
    await within(exited, 10_000, 'the server child exiting');
    const first = await rejection(pending, 5000);
    expect(first.name).toBe('EOFError');
    const later = await rejection(q.qsize(), 5000);
    expect(later.name).toBe('EOFError');
  });

  it("rejects calls with EOFError after a 'process' server is shut down", async () => {
    const manager = await within(Manager({ context: getContext('process') }), 20_000, 'Manager(…)');
    const d = await manager.dict({ a: 1 });
    expect(await d.get('a')).toBe(1);
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
    expect((await rejection(d.get('a'), 5000)).name).toBe('EOFError');
  });
});
