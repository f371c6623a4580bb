import { inspect } from 'node:util';
import {
  BaseManager,
  Client,
  Listener,
  Manager,
  SyncManager,
  type TcpAddress,
} from '@multiprocessing/manager';
import { within } from './helpers.js';

/** util.inspect and String() give the same one-line text. */
function shown(x: { toString(): string }): string {
  const text = inspect(x);
  expect(String(x)).toBe(text);
  return text;
}

describe('repr: manager classes', () => {
  it('SyncManager: INITIAL, STARTED with its address, SHUTDOWN', async () => {
    const manager = new SyncManager({ address: { host: '127.0.0.1', port: 0 } });
    expect(shown(manager)).toBe("<SyncManager state=INITIAL address=('127.0.0.1', 0)>");
    await within(manager.start(), 20_000, 'start');
    try {
      const port = (manager.address as { port: number }).port;
      expect(shown(manager)).toBe(`<SyncManager state=STARTED address=('127.0.0.1', ${String(port)})>`);
      const list = await manager.list([1, 2]);
      // Proxies keep Python's repr.
      expect(shown(list)).toMatch(/^<ListProxy object, typeid 'list' id \d+ at 127\.0\.0\.1:\d+>$/);
    } finally {
      await within(manager.shutdown(), 20_000, 'manager.shutdown()');
    }
    expect(shown(manager)).toMatch(/^<SyncManager state=SHUTDOWN address=\('127\.0\.0\.1', \d+\)>$/);
  });

  it('Manager(): a started SyncManager on a Unix socket; a BaseManager before start', async () => {
    const manager = await within(Manager(), 20_000, 'Manager()');
    try {
      expect(shown(manager)).toBe(`<SyncManager state=STARTED address='${manager.address as string}'>`);
    } finally {
      await within(manager.shutdown(), 20_000, 'manager.shutdown()');
    }
    expect(shown(new BaseManager())).toBe('<BaseManager state=INITIAL>');
  });

  it('Server from getServer(): address, objects, closed', async () => {
    const server = new BaseManager({ address: { host: '127.0.0.1', port: 0 } }).getServer();
    expect(shown(server)).toBe("<Server address=('127.0.0.1', 0) objects=0>");
    const bound = (await within(server.listen(), 10_000, 'listen')) as { port: number };
    expect(shown(server)).toBe(`<Server address=('127.0.0.1', ${String(bound.port)}) objects=0>`);
    server.shutdown();
    expect(shown(server)).toMatch(/^<Server address=\('127\.0\.0\.1', \d+\) objects=0 closed>$/);
  });

  it('Listener and its socket Connections', async () => {
    const listener = new Listener({ host: '127.0.0.1', port: 0 });
    const bound = (await within(listener.ready(), 20_000, 'listener.ready()')) as TcpAddress;
    expect(shown(listener)).toBe(`<Listener address=('127.0.0.1', ${String(bound.port)}) closed=false>`);
    const [client, server] = await within(Promise.all([Client(bound), listener.accept()]), 10_000, 'connect');
    expect(shown(client)).toBe('<Connection readable=true writable=true closed=false>');
    client.close();
    server.close();
    expect(shown(server)).toBe('<Connection readable=true writable=true closed=true>');
    listener.close();
    expect(shown(listener)).toMatch(/^<Listener address=\('127\.0\.0\.1', \d+\) closed=true>$/);
  });
});
