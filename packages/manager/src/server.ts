/**
 * The manager's server: holds the shared objects and runs their methods for
 * authenticated clients. Mirrors `multiprocessing.managers.Server`. It runs
 * in a worker thread or a child process (`BaseManager.start()`), or in the
 * calling thread (`getServer().serveForever()`).
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { unlinkSync } from 'node:fs';
import { ProcessError, kInspect } from '@multiprocessing/core';
import { runtimeLogger, timeoutMs } from '@multiprocessing/core/internal';
import {
  arbitraryAddress,
  checkAddress,
  toAuthKey,
  removeArbitraryAddress,
  reprAddress,
  type Address,
} from './address.js';
import { ChannelHost } from './internal/channel-host.js';
import { Dispatcher, type ClientConn } from './internal/dispatch.js';
import { livenessPath } from './internal/in-process.js';
import type { TypeEntry } from './internal/registry.js';
import { serverHandshake } from '@multiprocessing/process/internal';
import type { FrameSink } from './internal/transport.js';

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
 * (objects live until the server shuts down; see `internal/dispatch.ts`);
 * `#conns` every authenticated connection still open. `#closed` resolves
 * `#done`, once.
 */
export class Server {
  readonly #authkey: Uint8Array;
  readonly #authTimeoutMs: number | undefined;
  readonly #requested: Address;
  readonly #arbitrary: boolean;
  readonly #objects: Dispatcher;
  readonly #conns = new Set<ClientConn>();
  readonly #pendingSockets = new Set<Socket>();
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
    this.#objects = new Dispatcher(
      options.registry,
      () => this.address,
      () => {
        this.shutdown();
      },
    );
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
        runtimeLogger()?.info(`manager serving at ${JSON.stringify(this.address)}`);
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
    runtimeLogger()?.info('manager shutting down');
    this.#net?.close();
    this.#host?.close();
    for (const socket of this.#pendingSockets) socket.destroy();
    for (const conn of this.#conns) {
      conn.abort.abort();
      conn.fs.close(undefined, true);
    }
    this.#conns.clear();
    this.#objects.shutdown();
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
        runtimeLogger()?.debug('manager accepted a connection');
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
        this.#objects.handle(conn, frame);
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
