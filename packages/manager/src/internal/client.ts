/**
 * The client end of manager connections: one connection per server per
 * thread, shared by every proxy of that thread, with many requests in flight
 * (pipelining) and responses matched by id. Python opens one connection per
 * proxy per thread; sharing one is what makes pipelined calls cheap here.
 *
 * The connection is the in-process shared-memory channel when the server is
 * a worker thread of this process (channel-client.ts), else an
 * authenticated socket.
 */
import { EOFError } from '@multiprocessing/core';
import { addressKey, formatAddress, type Address } from '../address.js';
import { openChannel } from './channel-client.js';
import { MAX_FRAME, type FrameSocket } from '@multiprocessing/process/internal';
import { clientKey, serverTag } from './in-process.js';
import { Op, RESPONSE_HEAD, Status, sendRequest, type ProxyMeta } from './protocol.js';
import { decodeBody, EMPTY_ARGS } from './small-values.js';
import type { ClientTransport } from './transport.js';

/** Turns a reply into the caller's result, or throws the error to reject with. */
export type Settle = (status: number, value: unknown, address: Address, authkey: Uint8Array) => unknown;

interface Pending {
  /** Resolves to `[status, value]` without `settle`, else to what `settle` returns. */
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  settle: Settle | undefined;
}

/** A socket as a {@link ClientTransport}. */
function socketTransport(fs: FrameSocket): ClientTransport {
  return {
    set onFrame(fn: (frame: Buffer) => void) {
      fs.onFrame = fn;
    },
    set onClose(fn: (error: Error | undefined) => void) {
      fs.onClose = fn;
    },
    get closed() {
      return fs.closed;
    },
    get staged() {
      return fs.staged;
    },
    beginFrame: (length) => fs.beginFrame(length),
    sendFrame: (head, body) => {
      fs.sendFrame(head, body);
    },
    close: (error, flush) => {
      fs.close(error, flush);
    },
    ref: () => {
      fs.socket.ref();
    },
    unref: () => {
      fs.socket.unref();
    },
  };
}

/**
 * One authenticated connection to a manager server.
 *
 * Invariants: `#pending` holds every request sent and not answered; the
 * socket is ref'd exactly while it is non-empty, so an idle manager
 * connection never keeps the program alive. Once `#dead` is set, every
 * pending and later request rejects with it.
 */
export class ManagerClient {
  readonly address: Address;
  readonly #authkey: Uint8Array;
  readonly #fs: ClientTransport;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #dead: Error | undefined;
  readonly #onDead: () => void;

  constructor(address: Address, authkey: Uint8Array, fs: ClientTransport, onDead: () => void) {
    this.address = address;
    this.#authkey = authkey;
    this.#fs = fs;
    this.#onDead = onDead;
    fs.onFrame = (frame) => {
      this.#onResponse(frame);
    };
    fs.onClose = (error) => {
      this.#fail(
        new EOFError(
          `connection to the manager at ${formatAddress(address)} was closed${error === undefined ? '' : `: ${error.message}`}`,
          { cause: error },
        ),
      );
    };
    fs.unref();
    if (fs.closed) {
      this.#fail(new EOFError(`connection to the manager at ${formatAddress(address)} was closed`));
    }
  }

  /** True once the connection is gone. */
  get dead(): boolean {
    return this.#dead !== undefined;
  }

  #fail(err: Error): void {
    if (this.#dead !== undefined) return;
    this.#dead = err;
    this.#onDead();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(err);
  }

  #onResponse(frame: Buffer): void {
    if (frame.length < RESPONSE_HEAD) {
      this.#fs.close(new Error('malformed response from the manager'));
      return;
    }
    const id = frame.readUInt32BE(0);
    const status = frame.readUInt8(4);
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#fs.unref();
    let value: unknown;
    try {
      value = frame.length === RESPONSE_HEAD ? undefined : decodeBody(frame, RESPONSE_HEAD, frame.length);
      if (pending.settle !== undefined) value = pending.settle(status, value, this.address, this.#authkey);
    } catch (err) {
      pending.reject(err as Error);
      return;
    }
    pending.resolve(pending.settle === undefined ? [status, value] : value);
  }

  /**
   * Sends a request and resolves to the raw `[status, value]` reply.
   *
   * @param args - the encoded argument array (already checked).
   */
  request(
    op: number,
    objectId: number,
    name: string,
    args: Uint8Array = EMPTY_ARGS,
  ): Promise<[number, unknown]> {
    return this.#send(op, objectId, name, args, undefined) as Promise<[number, unknown]>;
  }

  /**
   * Sends a request and resolves to `settle(status, value, address, authkey)`
   * (rejects with what it throws): one promise per call, no `[status, value]`
   * pair in between.
   */
  call(op: number, objectId: number, name: string, args: Uint8Array, settle: Settle): Promise<unknown> {
    return this.#send(op, objectId, name, args, settle);
  }

  #send(
    op: number,
    objectId: number,
    name: string,
    args: Uint8Array,
    settle: Settle | undefined,
  ): Promise<unknown> {
    if (this.#dead !== undefined) return Promise.reject(this.#dead);
    if (args.length > MAX_FRAME - 64) {
      return Promise.reject(
        new RangeError(`arguments of ${String(args.length)} bytes are over the 64 MiB frame limit`),
      );
    }
    const id = this.#nextId;
    this.#nextId = id === 0xffffffff ? 1 : id + 1;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#fs.ref();
      this.#pending.set(id, { resolve, reject, settle });
      sendRequest(this.#fs, id, op, objectId, name, args);
    });
  }

  /** Closes the connection (pending requests reject with EOFError). */
  close(): void {
    this.#fs.close();
  }
}

// One connection per (server, key) in this thread: `clients` while it is
// being opened or open, `ready` once open (for the synchronous fast path).
const clients = new Map<string, Promise<ManagerClient>>();
const ready = new Map<string, ManagerClient>();

/**
 * This thread's channel to the server behind `key` when that server runs in
 * this process (opened now, synchronously), else undefined.
 */
function channelClient(key: string, address: Address, authkey: Uint8Array): ManagerClient | undefined {
  const tag = serverTag(key);
  if (tag === undefined) return undefined;
  // Channels serve only servers on a Unix socket (entry/server.ts).
  const transport = typeof address === 'string' ? openChannel(tag, address, authkey) : undefined;
  if (transport === undefined) return undefined;
  const made: ManagerClient = new ManagerClient(address, authkey, transport, () => {
    if (ready.get(key) === made) ready.delete(key);
    if (clients.get(key) === current) clients.delete(key);
  });
  const current = Promise.resolve(made);
  if (!made.dead) {
    ready.set(key, made);
    clients.set(key, current);
  }
  return made;
}

/** This thread's open connection behind `key`, opening its channel when the server is in this process. */
function openClient(key: string, address: Address, authkey: Uint8Array): ManagerClient | undefined {
  return ready.get(key) ?? (clients.has(key) ? undefined : channelClient(key, address, authkey));
}

/**
 * This thread's connection to the server at `address`, opened and
 * authenticated on first use.
 *
 * @throws the system error or AuthenticationError from connecting.
 */
export function getClient(address: Address, authkey: Uint8Array): Promise<ManagerClient> {
  const key = clientKey(address, authkey);
  let client = clients.get(key);
  if (client === undefined) {
    const channel = channelClient(key, address, authkey);
    if (channel !== undefined) return Promise.resolve(channel);
    client = (async () => {
      // The socket path is loaded on first use: a thread whose server is in
      // this process talks through its channel and never needs it.
      const { clientHandshake, connectSocket } = await import('@multiprocessing/process/internal');
      const socket = await connectSocket(address);
      socket.on('error', () => undefined);
      const inbox = await clientHandshake(socket, authkey);
      inbox.detach(() => undefined);
      let made: ManagerClient | undefined = undefined;
      made = new ManagerClient(address, authkey, socketTransport(inbox.fs), () => {
        if (clients.get(key) === current) clients.delete(key);
        if (made !== undefined && ready.get(key) === made) ready.delete(key);
      });
      if (!made.dead) ready.set(key, made);
      return made;
    })();
    const current = client;
    clients.set(key, client);
    client.catch(() => {
      if (clients.get(key) === current) clients.delete(key);
    });
  }
  return client;
}

/** Closes this thread's connections to `address` (after a shutdown). */
export function dropClients(address: Address): void {
  const prefix = `${addressKey(address)}#`;
  for (const [key, client] of clients) {
    if (key.startsWith(prefix)) {
      clients.delete(key);
      ready.delete(key);
      client.then(
        (c) => {
          c.close();
        },
        () => undefined,
      );
    }
  }
}

/**
 * Sends one request on this thread's connection. A server that cannot be
 * reached, or that goes away, gives EOFError naming the address.
 */
export function callServer(
  address: Address,
  authkey: Uint8Array,
  op: number,
  objectId: number,
  name: string,
  args?: Uint8Array,
): Promise<[number, unknown]> {
  const open = openClient(clientKey(address, authkey), address, authkey);
  // `args` may be a view into the codec's arena: send it before any await.
  if (open !== undefined && !open.dead) return open.request(op, objectId, name, args);
  return callSlow(address, authkey, op, objectId, name, args?.slice()) as Promise<[number, unknown]>;
}

/**
 * Calls method `name` of object `objectId` on this thread's connection and
 * resolves to `settle(status, value, address, authkey)`: the proxy call path,
 * with one promise per call. Errors as {@link callServer}.
 */
export function callMethod(
  address: Address,
  authkey: Uint8Array,
  objectId: number,
  name: string,
  args: Uint8Array,
  settle: Settle,
): Promise<unknown> {
  const open = openClient(clientKey(address, authkey), address, authkey);
  // `args` may be a view into a scratch buffer: send it before any await.
  if (open !== undefined && !open.dead) return open.call(Op.call, objectId, name, args, settle);
  return callSlow(address, authkey, Op.call, objectId, name, args.slice(), settle);
}

async function callSlow(
  address: Address,
  authkey: Uint8Array,
  op: number,
  objectId: number,
  name: string,
  args: Uint8Array | undefined,
  settle?: Settle,
): Promise<unknown> {
  let client: ManagerClient;
  try {
    client = await getClient(address, authkey);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ECONNRESET' || code === 'EPIPE') {
      throw new EOFError(
        `cannot reach the manager at ${formatAddress(address)} (${code}): it has shut down or died`,
        { cause: err },
      );
    }
    throw err;
  }
  return settle === undefined
    ? client.request(op, objectId, name, args)
    : client.call(op, objectId, name, args ?? EMPTY_ARGS, settle);
}

export { Op, Status };
export type { ProxyMeta };
