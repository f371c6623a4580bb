/**
 * Connections over sockets: `Listener`, `Client` and their `Connection`.
 * Mirrors `multiprocessing.connection`. A Connection has the API of a Pipe's
 * Connection (`send`, `recv`, `sendBytes`, `recvBytes`, `recvBytesInto`,
 * `poll`, `close`), with one difference: a socket is read by this thread's
 * event loop, so there are no `…Sync` receive twins.
 */
import { unlinkSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { StateError, decode, encode, kInspect } from '@multiprocessing/core';
import {
  checkMaxlength,
  copyMessageInto,
  recvIntoTarget,
  kReadyNow,
  kWhenReady,
  sendBytesRange,
  startTimer,
  timeoutMs,
} from '@multiprocessing/core/internal';
import {
  arbitraryAddress,
  checkAddress,
  removeArbitraryAddress,
  reprAddress,
  toAuthKey,
  type Address,
  type AuthKey,
} from './address.js';
import {
  MAX_FRAME,
  clientHandshake,
  connectSocket,
  serverHandshake,
  type FrameInbox,
} from '@multiprocessing/process/internal';

function tooLong(length: number): RangeError {
  return new RangeError(
    `message of ${String(length)} bytes is over the frame limit of ${String(MAX_FRAME)} bytes`,
  );
}

/**
 * One end of a socket connection, made by {@link Listener.accept} or
 * {@link Client}. Messages keep their boundaries.
 */
export class Connection implements Disposable {
  readonly #inbox: FrameInbox;
  #closed = false;
  readonly #pollers = new Set<() => void>();

  /** @internal Made by Listener and Client. */
  constructor(inbox: FrameInbox) {
    this.#inbox = inbox;
    inbox.onChange = () => {
      for (const wake of [...this.#pollers]) wake();
    };
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Always true: socket connections are duplex. */
  readonly readable = true;

  /** Always true: socket connections are duplex. */
  readonly writable = true;

  #check(): void {
    if (this.#closed) throw new StateError('handle is closed');
  }

  /**
   * Sends `obj` (encoded with the project codec). Never blocks: the bytes are
   * written when this thread's event loop next turns.
   *
   * @throws {PicklingError} when `obj` holds a function.
   * @throws {StateError} `handle is closed` after close().
   */
  send(obj: unknown): void {
    this.#check();
    const bytes = encode(obj, 'obj');
    if (bytes.length > MAX_FRAME) throw tooLong(bytes.length);
    this.#inbox.fs.send(bytes);
  }

  /**
   * Sends the bytes of `buf` from `offset` (in bytes) for `size` bytes as one message.
   *
   * @throws {RangeError} with Python's messages for a bad offset or size.
   */
  sendBytes(buf: ArrayBufferView | ArrayBuffer, offset = 0, size?: number): void {
    this.#check();
    const bytes = sendBytesRange(buf, offset, size);
    if (bytes.length > MAX_FRAME) throw tooLong(bytes.length);
    this.#inbox.fs.send(bytes);
  }

  async #next(maxlength?: number): Promise<Buffer> {
    this.#check();
    return this.#inbox.next(maxlength);
  }

  /**
   * The next message, decoded.
   *
   * @throws {EOFError} when the other end is closed and nothing is left.
   * @throws {StateError} `handle is closed` after close().
   */
  async recv(): Promise<unknown> {
    return decode(await this.#next());
  }

  /**
   * The next message as bytes.
   *
   * @throws {StateError} `bad message length` when it is longer than
   *   `maxlength`; the message stays unread, as in a Pipe.
   */
  async recvBytes(maxlength?: number): Promise<Uint8Array> {
    checkMaxlength(maxlength);
    return new Uint8Array(await this.#next(maxlength));
  }

  /**
   * Reads the next message into `buf` at byte `offset`; resolves to its length.
   *
   * @throws {BufferTooShortError} when it does not fit; `data` holds the message.
   */
  async recvBytesInto(buf: ArrayBufferView | ArrayBuffer, offset = 0): Promise<number> {
    const target = recvIntoTarget(buf, offset);
    const frame = await this.#next();
    return copyMessageInto(target, offset, new Uint8Array(frame));
  }

  /**
   * Whether a message (or the end of the stream) can be read. With no
   * argument it answers at once; a number waits up to that many seconds;
   * `null` or `Infinity` waits for ever. A poll still waiting when this
   * handle closes rejects with `StateError('handle is closed')`, as a
   * pending `recv` does.
   */
  async poll(timeout: number | null = 0): Promise<boolean> {
    // async: a bad timeout or a closed handle rejects, as a Pipe's poll does.
    const limit = timeoutMs(timeout);
    this.#check();
    if (this.#inbox.ready) return true;
    if (limit === 0) return false;
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        if (!this.#inbox.ready && !this.#closed) return;
        this.#pollers.delete(wake);
        timer.clear();
        if (this.#closed) reject(new StateError('handle is closed'));
        else resolve(true);
      };
      this.#pollers.add(wake);
      const timer = startTimer(limit, () => {
        this.#pollers.delete(wake);
        resolve(this.#inbox.ready);
      });
    });
  }

  /** @internal For connection.wait(): whether a message (or the end of the stream) can be read now. */
  [kReadyNow](): boolean {
    this.#check();
    return this.#inbox.ready;
  }

  /** @internal For connection.wait(): settles once a message can be read, or this handle closes, or `signal` aborts. */
  [kWhenReady](signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.#pollers.delete(wake);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const wake = (): void => {
        if (this.#inbox.ready || this.#closed) done();
      };
      if (signal.aborted || this.#inbox.ready || this.#closed) {
        resolve();
        return;
      }
      this.#pollers.add(wake);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * The socket's file descriptor (Python's `fileno()`), for a library that
   * takes one. Reading or writing it directly would bypass this
   * connection's framing.
   *
   * @throws {StateError} `handle is closed` after close(); also where the
   *   runtime gives the socket no descriptor.
   */
  fileno(): number {
    this.#check();
    const handle = (this.#inbox.fs.socket as unknown as { _handle?: { fd?: unknown } | null })._handle;
    const fd = handle?.fd;
    if (typeof fd !== 'number' || fd < 0) {
      throw new StateError('this runtime gives the socket no file descriptor');
    }
    return fd;
  }

  /** Closes the connection after flushing what was sent. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#inbox.abort(new StateError('handle is closed'));
    this.#inbox.fs.close(undefined, true);
    for (const wake of [...this.#pollers]) wake();
  }

  /** `using` closes it at the end of the scope (Python's `with`). */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `<Connection readable=true writable=true closed=false>`, as a pipe end prints (Python's has no repr of its own). */
  toString(): string {
    return `<Connection readable=true writable=true closed=${String(this.#closed)}>`;
  }

  /** `util.inspect` / `console.log` show {@link Connection.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}

/** Options of {@link Listener}. */
export interface ListenerOptions {
  /**
   * The key both ends must hold. Without one, connections are not
   * authenticated (as in Python's `Listener`).
   */
  authkey?: AuthKey;
  /** The listen backlog. @default 1 in Python; here the OS default */
  backlog?: number;
  /**
   * How long a connecting peer may take to authenticate, in seconds.
   * @default 20
   */
  authTimeout?: number;
}

/**
 * A bound socket that accepts connections. Mirrors
 * `multiprocessing.connection.Listener`.
 *
 * @example
 * const listener = new Listener({ host: '127.0.0.1', port: 0 }, { authkey: 'secret' });
 * const conn = await listener.accept();
 * console.log(await conn.recv());
 */
export class Listener implements Disposable {
  readonly #server: NetServer;
  readonly #authkey: Uint8Array | undefined;
  readonly #authTimeoutMs: number | undefined;
  readonly #requested: Address;
  readonly #arbitrary: boolean;
  // Sockets not yet handed to accept(), and accept() calls not yet served.
  readonly #sockets: Socket[] = [];
  readonly #acceptors: { resolve: (s: Socket) => void; reject: (e: Error) => void }[] = [];
  #error: Error | undefined;
  #closed = false;
  #lastAccepted: Address | null = null;

  constructor(address?: Address, options: ListenerOptions = {}) {
    // The key is checked first: an arbitrary address makes a temp directory.
    this.#authkey = options.authkey === undefined ? undefined : toAuthKey(options.authkey);
    this.#arbitrary = address === undefined;
    this.#requested = address === undefined ? arbitraryAddress() : checkAddress(address);
    this.#authTimeoutMs = timeoutMs(options.authTimeout ?? 20, 'authTimeout');
    this.#server = createServer((socket) => {
      socket.on('error', () => undefined);
      const acceptor = this.#acceptors.shift();
      if (acceptor !== undefined) acceptor.resolve(socket);
      else this.#sockets.push(socket);
    });
    this.#server.on('error', (err) => {
      this.#error ??= err;
      for (const a of this.#acceptors.splice(0)) a.reject(err);
    });
    const req = this.#requested;
    if (typeof req === 'string') this.#server.listen({ path: req, backlog: options.backlog });
    else this.#server.listen({ host: req.host, port: req.port, backlog: options.backlog });
  }

  /** The bound address (the real port when port 0 was asked for). */
  get address(): Address {
    const bound = this.#server.address();
    if (bound !== null && typeof bound === 'object') return { host: bound.address, port: bound.port };
    return this.#requested;
  }

  /** The address of the last accepted peer, as Python's `last_accepted`. */
  get lastAccepted(): Address | null {
    return this.#lastAccepted;
  }

  /** Resolves once the socket is bound (rejects with the bind error). */
  ready(): Promise<Address> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#server.listening) return Promise.resolve(this.address);
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        reject(err);
      };
      this.#server.once('error', onError);
      this.#server.once('listening', () => {
        this.#server.off('error', onError);
        resolve(this.address);
      });
    });
  }

  /**
   * The next connection, authenticated when the listener has a key.
   *
   * @throws {AuthenticationError} when the peer fails the challenge.
   * @throws {StateError} `handle is closed` after close().
   */
  async accept(): Promise<Connection> {
    if (this.#closed) throw new StateError('handle is closed');
    if (this.#error !== undefined) throw this.#error;
    const socket =
      this.#sockets.shift() ??
      (await new Promise<Socket>((resolve, reject) => {
        this.#acceptors.push({ resolve, reject });
      }));
    this.#lastAccepted =
      socket.remoteAddress !== undefined
        ? { host: socket.remoteAddress, port: socket.remotePort ?? 0 }
        : this.address;
    const inbox = await serverHandshake(socket, this.#authkey, this.#authTimeoutMs);
    return new Connection(inbox);
  }

  /** Stops listening and removes the socket file. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.close();
    for (const s of this.#sockets.splice(0)) s.destroy();
    for (const a of this.#acceptors.splice(0)) a.reject(new StateError('handle is closed'));
    const req = this.#requested;
    if (typeof req === 'string') {
      if (this.#arbitrary) removeArbitraryAddress(req);
      else {
        try {
          unlinkSync(req);
        } catch {
          // Not there: nothing to remove.
        }
      }
    }
  }

  /** `using` closes it at the end of the scope (Python's `with`). */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `<Listener address='/tmp/…' closed=false>` (Python's has no repr of its own). */
  toString(): string {
    return `<Listener address=${reprAddress(this.address)} closed=${String(this.#closed)}>`;
  }

  /** `util.inspect` / `console.log` show {@link Listener.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}

/** Options of {@link Client}. */
export interface ClientOptions {
  /** The listener's key; without one, no authentication. */
  authkey?: AuthKey;
}

/**
 * Connects to a {@link Listener}. Mirrors `multiprocessing.connection.Client`.
 *
 * @throws {AuthenticationError} when the keys differ.
 * @throws the system error (ECONNREFUSED, ENOENT) when nothing listens there.
 */
export async function Client(address: Address, options: ClientOptions = {}): Promise<Connection> {
  const addr = checkAddress(address);
  const key = options.authkey === undefined ? undefined : toAuthKey(options.authkey);
  const socket = await connectSocket(addr);
  socket.on('error', () => undefined);
  const inbox = await clientHandshake(socket, key);
  return new Connection(inbox);
}
