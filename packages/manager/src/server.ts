/**
 * The manager's server: holds the shared objects and runs their methods for
 * authenticated clients. Mirrors `multiprocessing.managers.Server`. It runs
 * in a worker thread or a child process (`BaseManager.start()`), or in the
 * calling thread (`getServer().serveForever()`).
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { unlinkSync } from 'node:fs';
import { PicklingError, ProcessError, RemoteError, encode, kInspect } from '@multiprocessing/core';
import { isError, keepsClass, loadTask, timeoutMs } from '@multiprocessing/core/internal';
import {
  arbitraryAddress,
  checkAddress,
  toAuthKey,
  formatAddress,
  removeArbitraryAddress,
  reprAddress,
  sameAddress,
  type Address,
} from './address.js';
import { callAs, withCaller, type Caller } from './internal/caller.js';
import { ChannelHost } from './internal/channel-host.js';
import { livenessPath } from './internal/in-process.js';
import { FrameError } from './internal/frames.js';
import { Op, Status, parseRequest, sendResponse, type ProxyMeta, type Request } from './internal/protocol.js';
import { BUILTINS, publicMethods, type TypeEntry } from './internal/registry.js';
import { decodeArgs, encodeResult } from './internal/small-values.js';
import { serverHandshake } from './internal/socket.js';
import type { FrameSink } from './internal/transport.js';
import { BaseProxy } from './proxy.js';

interface ObjectEntry {
  readonly obj: object;
  readonly typeid: string;
  readonly exposed: ReadonlySet<string>;
  readonly exposedList: readonly string[];
  readonly methodToTypeid: Readonly<Record<string, string>> | undefined;
}

interface ClientConn {
  readonly fs: FrameSink;
  readonly caller: Caller;
  readonly abort: AbortController;
}

/**
 * The error a client receives: a built-in or project error as it is, any
 * other failure as a RemoteError carrying the server's stack (Python's
 * `#TRACEBACK` reply).
 */
function wireError(err: unknown): Error {
  if (!isError(err)) return new RemoteError(`non-error thrown in the manager: ${String(err)}`);
  if (keepsClass(err)) return err;
  const remote = new RemoteError(`${err.name}: ${err.message}`, { cause: err });
  remote.stack = `RemoteError: ${err.name}: ${err.message}\n    --- the manager's stack ---\n${err.stack ?? ''}`;
  return remote;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

function isClass(fn: unknown): boolean {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/** Options of {@link Server}. */
export interface ServerOptions {
  /** Where to listen. @default a fresh Unix socket in a temp directory */
  address?: Address;
  /** The key every client must prove it holds. */
  authkey: Uint8Array;
  /** The registered typeids. */
  registry: readonly TypeEntry[];
  /**
   * How long a connecting client may take to authenticate, in seconds.
   * @default 20
   */
  authTimeout?: number;
}

/**
 * A manager server. Get one with `BaseManager.getServer()`.
 *
 * Invariants: `#objects` holds every object created and not yet released
 * (objects live until the server shuts down); `#conns` every authenticated
 * connection still open. `#closed` resolves `#done`, once.
 */
export class Server {
  readonly #registry = new Map<string, TypeEntry>();
  readonly #authkey: Uint8Array;
  readonly #authTimeoutMs: number | undefined;
  readonly #requested: Address;
  readonly #arbitrary: boolean;
  readonly #objects = new Map<number, ObjectEntry>();
  readonly #conns = new Set<ClientConn>();
  readonly #pendingSockets = new Set<Socket>();
  #nextObjectId = 1;
  #nextCallerId = 1;
  #net: NetServer | undefined;
  #listening: Promise<Address> | undefined;
  #host: ChannelHost | undefined;
  #closed = false;
  #resolveDone: () => void = () => undefined;
  readonly #done: Promise<void>;

  constructor(options: ServerOptions) {
    this.#arbitrary = options.address === undefined;
    this.#requested = options.address === undefined ? arbitraryAddress() : checkAddress(options.address);
    this.#authkey = toAuthKey(options.authkey);
    this.#authTimeoutMs = timeoutMs(options.authTimeout ?? 20, 'authTimeout');
    for (const entry of options.registry) this.#registry.set(entry.typeid, entry);
    this.#done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
  }

  /** The bound address once listening (the real port for port 0), else the requested one. */
  get address(): Address {
    const bound = this.#net?.address();
    if (bound !== null && bound !== undefined && typeof bound === 'object') {
      return { host: bound.address, port: bound.port };
    }
    return this.#requested;
  }

  /** The number of objects the server holds (Python's `number_of_objects`). */
  get numberOfObjects(): number {
    return this.#objects.size;
  }

  /** Binds the socket; resolves to the bound address. Idempotent. */
  listen(): Promise<Address> {
    this.#listening ??= new Promise<Address>((resolve, reject) => {
      if (this.#closed) {
        reject(new ProcessError('the server has shut down'));
        return;
      }
      const net = createServer((socket) => {
        this.#onSocket(socket);
      });
      this.#net = net;
      net.once('error', reject);
      net.once('listening', () => {
        net.off('error', reject);
        net.on('error', () => undefined);
        resolve(this.address);
      });
      const req = this.#requested;
      if (typeof req === 'string') net.listen({ path: req });
      else net.listen({ host: req.host, port: req.port });
    });
    return this.#listening;
  }

  /**
   * Serves until the server shuts down (a client's shutdown request, or
   * {@link shutdown}). Mirrors `Server.serve_forever()`.
   */
  async serveForever(): Promise<void> {
    await this.listen();
    await this.#done;
  }

  /** Stops serving: closes the socket and every connection. Idempotent. */
  shutdown(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#net?.close();
    this.#host?.close();
    for (const socket of this.#pendingSockets) socket.destroy();
    for (const conn of this.#conns) {
      conn.abort.abort();
      conn.fs.close(undefined, true);
    }
    this.#conns.clear();
    const req = this.#requested;
    if (typeof req === 'string') {
      if (this.#arbitrary) removeArbitraryAddress(req);
      else if (this.#net !== undefined) {
        try {
          unlinkSync(req);
        } catch {
          // Already removed.
        }
      }
    }
    this.#resolveDone();
  }

  #onSocket(socket: Socket): void {
    socket.on('error', () => undefined);
    if (this.#closed) {
      socket.destroy();
      return;
    }
    this.#pendingSockets.add(socket);
    serverHandshake(socket, this.#authkey, this.#authTimeoutMs).then(
      (inbox) => {
        this.#pendingSockets.delete(socket);
        const hooks = inbox.fs.closed ? undefined : this._addConnection(inbox.fs);
        if (hooks === undefined) {
          inbox.fs.close();
          return;
        }
        inbox.fs.onClose = hooks.closed;
        inbox.detach(hooks.request);
      },
      () => {
        // A failed handshake closed the socket; the server carries on.
        this.#pendingSockets.delete(socket);
      },
    );
  }

  /**
   * @internal Serves one authenticated connection whose replies go to
   * `sink`: returns the handler of its request frames and the hook to call
   * once it closes, or undefined after shutdown.
   */
  _addConnection(sink: FrameSink): { request: (frame: Buffer) => void; closed: () => void } | undefined {
    if (this.#closed) return undefined;
    const abort = new AbortController();
    const conn: ClientConn = { fs: sink, abort, caller: { id: this.#nextCallerId++, signal: abort.signal } };
    this.#conns.add(conn);
    return {
      request: (frame) => {
        this.#onRequest(conn, frame);
      },
      closed: () => {
        this.#conns.delete(conn);
        abort.abort();
      },
    };
  }

  /**
   * @internal Opens the in-process channel host of this server (once) and
   * resolves to its tag; for a server in a worker thread on a Unix socket,
   * whose clients in this process then skip the socket. Undefined after
   * shutdown, or when the host cannot listen beside `address` (see
   * `livenessPath`): then clients use the socket.
   */
  async _inProcessTag(address: string): Promise<string | undefined> {
    if (this.#closed) return undefined;
    if (this.#host === undefined) {
      const host = new ChannelHost(this.#authkey, (sink) => this._addConnection(sink));
      try {
        await host.listenAlive(livenessPath(address));
      } catch {
        host.close();
        return undefined;
      }
      if (this.#closed) {
        host.close();
        return undefined;
      }
      this.#host = host;
    }
    return this.#host.tag;
  }

  #send(conn: ClientConn, id: number, status: number, value: unknown): void {
    let body: Uint8Array;
    try {
      body = encodeResult(value);
    } catch (err) {
      status = Status.error;
      body = this.#encodeError(err);
    }
    sendResponse(conn.fs, id, status, body);
  }

  #encodeError(err: unknown): Uint8Array {
    try {
      return encode(wireError(err), 'error');
    } catch {
      return encode(new RemoteError(String(err)), 'error');
    }
  }

  #sendError(conn: ClientConn, id: number, err: unknown): void {
    sendResponse(conn.fs, id, Status.error, this.#encodeError(err));
  }

  #onRequest(conn: ClientConn, frame: Buffer): void {
    const req = parseRequest(frame);
    if (req === undefined) {
      // Not our protocol: drop this client, keep serving the others.
      conn.fs.close(new FrameError('malformed request'));
      return;
    }
    try {
      switch (req.op) {
        case Op.call:
          this.#call(conn, req);
          return;
        case Op.create:
          this.#create(conn, req);
          return;
        case Op.ping:
          this.#send(conn, req.id, Status.value, undefined);
          return;
        case Op.numberOfObjects:
          this.#send(conn, req.id, Status.value, this.#objects.size);
          return;
        case Op.shutdown:
          this.#send(conn, req.id, Status.value, undefined);
          setImmediate(() => {
            this.shutdown();
          });
          return;
        default:
          this.#sendError(conn, req.id, new RemoteError(`unknown request kind ${String(req.op)}`));
      }
    } catch (err) {
      this.#sendError(conn, req.id, err);
    }
  }

  #args(req: Request): unknown[] {
    if (req.frame.length === req.argsStart) return [];
    let args: unknown;
    try {
      args = decodeArgs(req.frame, req.argsStart, req.frame.length);
    } catch (err) {
      throw err instanceof PicklingError
        ? err
        : new RemoteError(`the request's arguments cannot be decoded: ${(err as Error).message}`);
    }
    if (!Array.isArray(args)) throw new RemoteError('the request does not hold an argument list');
    return args;
  }

  #call(conn: ClientConn, req: Request): void {
    const entry = this.#objects.get(req.objectId);
    if (entry === undefined) {
      throw new RemoteError(`the manager holds no object with id ${String(req.objectId)}`);
    }
    const name = req.name;
    if (!entry.exposed.has(name)) {
      throw new RemoteError(
        `AttributeError: method '${name}' of '${entry.typeid}' object is not in exposed=[${entry.exposedList.map((n) => `'${n}'`).join(', ')}]`,
      );
    }
    const fn = (entry.obj as Record<string, unknown>)[name];
    if (typeof fn !== 'function') {
      throw new RemoteError(`AttributeError: '${entry.typeid}' object has no method '${name}'`);
    }
    const args = this.#args(req);
    const result: unknown = callAs(conn.caller, fn as (...a: unknown[]) => unknown, entry.obj, args);
    const toTypeid = entry.methodToTypeid?.[name];
    if (isThenable(result)) {
      result.then(
        (value) => {
          this.#reply(conn, req.id, value, toTypeid);
        },
        (err: unknown) => {
          this.#sendError(conn, req.id, err);
        },
      );
    } else {
      this.#reply(conn, req.id, result, toTypeid);
    }
  }

  #reply(conn: ClientConn, id: number, value: unknown, toTypeid: string | undefined): void {
    if (toTypeid === undefined) {
      this.#send(conn, id, Status.value, value);
      return;
    }
    const type = this.#registry.get(toTypeid);
    if (type === undefined) {
      this.#sendError(conn, id, new RemoteError(`methodToTypeid names an unknown typeid '${toTypeid}'`));
      return;
    }
    if (typeof value !== 'object' || value === null) {
      this.#sendError(conn, id, new RemoteError(`the result for typeid '${toTypeid}' is not an object`));
      return;
    }
    this.#send(conn, id, Status.proxy, this.#register(type, value));
  }

  #register(type: TypeEntry, obj: object): ProxyMeta {
    const id = this.#nextObjectId++;
    const builtin = BUILTINS.get(type.typeid);
    const exposedList =
      type.exposed ?? (type.builtin === true && builtin !== undefined ? builtin.exposed : publicMethods(obj));
    this.#objects.set(id, {
      obj,
      typeid: type.typeid,
      exposed: new Set(exposedList),
      exposedList,
      methodToTypeid: type.methodToTypeid,
    });
    return [type.typeid, id, type.proxytype, type.builtin === true ? [] : [...exposedList]];
  }

  /** The object behind a proxy of this server, or the value itself. */
  readonly #lookup = (value: unknown): unknown => {
    if (value instanceof BaseProxy && sameAddress(value._address, this.address)) {
      return this.#objects.get(value._id)?.obj ?? value;
    }
    return value;
  };

  #create(conn: ClientConn, req: Request): void {
    const type = this.#registry.get(req.name);
    if (type === undefined) {
      throw new RemoteError(
        `KeyError: typeid '${req.name}' is not registered with the manager at ${formatAddress(this.address)}`,
      );
    }
    const args = this.#args(req);
    const builtin = type.builtin === true ? BUILTINS.get(type.typeid) : undefined;
    if (builtin !== undefined) {
      const obj = withCaller(conn.caller, () => builtin.create(args, this.#lookup));
      this.#send(conn, req.id, Status.proxy, this.#register(type, obj));
      return;
    }
    const spec = type.spec;
    if (spec === undefined) {
      throw new RemoteError(`typeid '${type.typeid}' has no callable in the manager's registry`);
    }
    loadTask(spec)
      .then(async (fn) => {
        const made: unknown = isClass(fn)
          ? new (fn as unknown as new (...a: unknown[]) => unknown)(...args)
          : await fn(...args);
        if (typeof made !== 'object' || made === null) {
          throw new RemoteError(
            `the callable of typeid '${type.typeid}' returned ${made === null ? 'null' : typeof made}, not an object`,
          );
        }
        this.#send(conn, req.id, Status.proxy, this.#register(type, made));
      })
      .catch((err: unknown) => {
        this.#sendError(conn, req.id, err);
      });
  }

  /** `<Server address='/tmp/…' objects=2>`, then ` closed` (Python's has no repr of its own). */
  toString(): string {
    const closed = this.#closed ? ' closed' : '';
    return `<Server address=${reprAddress(this.address)} objects=${String(this.#objects.size)}${closed}>`;
  }

  /** `util.inspect` / `console.log` show {@link Server.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}
