import { getContext } from '@multiprocessing/process';
import { BaseManager } from '../../src/base-manager.js';
import { Client, Listener } from '../../src/connection.js';
import { Server } from '../../src/server.js';
import { Manager, SyncManager } from '../../src/sync-manager.js';

// Every case fails in the constructor, before a server starts: nothing spawns.
const OPTIONS = 'options must be an object like {address, authkey, context, shutdownTimeout}';
const CONTEXT = "context must be a context from getContext('thread' | 'process')";
const EMPTY_KEY = 'authkey must not be empty (at least 1 byte): an empty key authenticates anyone';
const TIMEOUT = 'shutdownTimeout must be a number of seconds, null or undefined';

const managers: [string, (options: unknown) => Promise<unknown>][] = [
  ['Manager()', (options) => Manager(options as never)],
  ['new BaseManager()', (options) => Promise.resolve().then(() => new BaseManager(options as never))],
  ['new SyncManager()', (options) => Promise.resolve().then(() => new SyncManager(options as never))],
];

describe.each(managers)('parity: multiprocessing.managers.BaseManager arguments, %s', (_name, make) => {
  it.each([
    ['str', `${OPTIONS}, got the string 'str'`],
    [5, `${OPTIONS}, got 5`],
    [null, `${OPTIONS}, got null`],
    [[], `${OPTIONS}, got an array`],
  ])('options %p: TypeError', async (options, message) => {
    await expect(make(options)).rejects.toThrow(new TypeError(message));
  });

  it.each([
    [5, `${CONTEXT}, got 5`],
    [{}, `${CONTEXT}, got an object whose startMethod is undefined`],
    [{ startMethod: 'fork' }, `${CONTEXT}, got an object whose startMethod is the string 'fork'`],
    ['process', `${CONTEXT}, got the string 'process': pass getContext('process')`],
    ['thread', `${CONTEXT}, got the string 'thread': pass getContext('thread')`],
    ['spawn', `${CONTEXT}, got the string 'spawn'`],
  ])('context %p: TypeError', async (context, message) => {
    await expect(make({ context })).rejects.toThrow(new TypeError(message));
  });

  it.each([
    ['str', `${TIMEOUT}, got string 'str'`],
    [Symbol('s'), `${TIMEOUT}, got symbol`],
    [1n, `${TIMEOUT}, got bigint 1n`],
  ])('shutdownTimeout %p: TypeError', async (shutdownTimeout, message) => {
    await expect(make({ shutdownTimeout })).rejects.toThrow(new TypeError(message));
  });

  it('shutdownTimeout NaN: RangeError, as every timeout', async () => {
    await expect(make({ shutdownTimeout: NaN })).rejects.toThrow(
      new RangeError('shutdownTimeout must be a number of seconds, got NaN'),
    );
  });

  it.each([
    ['', EMPTY_KEY, RangeError],
    [new Uint8Array(0), EMPTY_KEY, RangeError],
    [Buffer.alloc(0), EMPTY_KEY, RangeError],
    [5, 'authkey must be a Uint8Array, a Buffer or a string, got number', TypeError],
  ])('authkey %p: %p', async (authkey, message, Class) => {
    await expect(make({ authkey })).rejects.toThrow(new Class(message));
  });

  it.each([
    ['', 'address must not be empty', TypeError],
    [5, 'address must be a socket path (string) or {host, port}, got number', TypeError],
    [{ host: '', port: 1 }, 'address.host must be a non-empty string', TypeError],
    [
      { host: '127.0.0.1', port: 70000 },
      'address.port must be an integer from 0 to 65535, got 70000',
      RangeError,
    ],
  ])('address %p: %p', async (address, message, Class) => {
    await expect(make({ address })).rejects.toThrow(new Class(message));
  });
});

describe('parity: multiprocessing.managers.BaseManager good arguments', () => {
  it('takes no options, a context, a null context and any shutdownTimeout number', async () => {
    for (const options of [
      undefined,
      {},
      { context: getContext('process') },
      { context: getContext('thread') },
      { context: null },
      { shutdownTimeout: -1 },
      { shutdownTimeout: 0 },
      { shutdownTimeout: Infinity },
      { shutdownTimeout: null as never },
      { authkey: 'k' },
    ]) {
      const manager = new SyncManager(options);
      expect(String(manager)).toBe('<SyncManager state=INITIAL>');
      await manager.shutdown();
    }
  });
});

describe('parity: multiprocessing.connection authkey', () => {
  it('Listener refuses an empty authkey before it binds', () => {
    expect(() => new Listener(undefined, { authkey: '' })).toThrow(new RangeError(EMPTY_KEY));
    expect(() => new Listener(undefined, { authkey: new Uint8Array(0) })).toThrow(new RangeError(EMPTY_KEY));
  });

  it('Client refuses an empty authkey before it connects', async () => {
    await expect(Client('/nonexistent/socket', { authkey: '' })).rejects.toThrow(new RangeError(EMPTY_KEY));
    await expect(Client('/nonexistent/socket', { authkey: Buffer.alloc(0) })).rejects.toThrow(
      new RangeError(EMPTY_KEY),
    );
  });

  it('Server refuses an empty authkey', () => {
    expect(
      () => new Server({ address: '/nonexistent/socket', authkey: new Uint8Array(0), registry: [] }),
    ).toThrow(new RangeError(EMPTY_KEY));
  });
});
