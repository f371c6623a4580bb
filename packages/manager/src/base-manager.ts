/**
 * `BaseManager`: starts a server (in a worker thread or a child process, by
 * the context's start method) or connects to one, and makes proxies for the
 * typeids registered on its class. Mirrors
 * `multiprocessing.managers.BaseManager`.
 */
import { StateError, type Task, encode, kInspect } from '@multiprocessing/core';
import {
  deserializeError,
  raceTimeout,
  timeoutMs,
  toTaskSpec,
  type TaskSpec,
} from '@multiprocessing/core/internal';
import { currentProcess, getStartMethod } from '@multiprocessing/process';
import {
  contextStartMethod,
  launch,
  type Launched,
  type StartMethod,
} from '@multiprocessing/process/internal';
import {
  arbitraryAddress,
  checkAddress,
  removeArbitraryAddress,
  reprAddress,
  toAuthKey,
  type Address,
  type AuthKey,
} from './address.js';
import { callServer, dropClients, getClient } from './internal/client.js';
import { entryPath } from './internal/entry-path.js';
import { markHostGone, rememberServer } from './internal/in-process.js';
import { isServerMessage, type ServerLaunchData, type ShutdownMessage } from './internal/launch-protocol.js';
import { Op } from './internal/protocol.js';
import type { TypeEntry } from './internal/registry.js';
import { settle, type BaseProxy } from './proxy.js';
import { Server } from './server.js';
import { checkOptionsObject, checkShutdownTimeout } from './internal/options.js';

/** A context (`getContext('thread' | 'process')`) or anything with its start method. */
export interface ManagerContext {
  /** The start method the manager's server runs under. */
  readonly startMethod: StartMethod;
}

/** Options of {@link BaseManager}. */
export interface BaseManagerOptions {
  /**
   * Where the server listens (start) or is (connect): a Unix socket path or
   * `{host, port}`; `port: 0` picks a free port.
   * @default a fresh Unix socket in a temp directory
   */
  address?: Address;
  /** The key clients must hold. @default currentProcess().authkey */
  authkey?: AuthKey;
  /**
   * Where `start()` runs the server: a context from `getContext('thread' |
   * 'process')` (`getContext('process')` for a child process). A start-method
   * string is refused, as by `Pool`.
   * @default the default start method (`getStartMethod()`)
   */
  context?: ManagerContext | null;
  /**
   * Seconds `shutdown()` waits for the server to end before terminating it
   * (Python's `shutdown_timeout`); a negative number means 0.
   * @default 1
   */
  shutdownTimeout?: number;
}

/** Options of {@link BaseManager.register}. */
export interface RegisterOptions {
  /** The methods clients may call. @default every public method (names not starting with `_`) */
  exposed?: readonly string[];
  /** Methods whose results stay in the server and come back as proxies of the given typeid. */
  methodToTypeid?: Readonly<Record<string, string>>;
  /** Add a method named after the typeid to instances. @default true */
  createMethod?: boolean;
}

interface Registration {
  readonly spec: TaskSpec | undefined;
  readonly exposed: readonly string[] | undefined;
  readonly methodToTypeid: Readonly<Record<string, string>> | undefined;
  readonly createMethod: boolean;
  readonly proxytype: string;
  readonly builtin: boolean;
}

const registries = new WeakMap<object, Map<string, Registration>>();

function registryOf(cls: object): Map<string, Registration> {
  let reg = registries.get(cls);
  if (reg === undefined) {
    const parent = Object.getPrototypeOf(cls) as object | null;
    // A subclass starts from a copy of its parent's registry, as in Python.
    reg = new Map(parent !== null && parent !== Function.prototype ? registryOf(parent) : []);
    registries.set(cls, reg);
  }
  return reg;
}

/** @internal Registers a SyncManager built-in. */
export function registerBuiltin(cls: object, typeid: string, proxytype: string): void {
  registryOf(cls).set(typeid, {
    spec: undefined,
    exposed: undefined,
    methodToTypeid: undefined,
    createMethod: false,
    proxytype,
    builtin: true,
  });
}

const State = { initial: 0, started: 1, connected: 2, shutdown: 3 } as const;
let managerCounter = 0;

/**
 * A manager: a server holding shared objects, and the factory of proxies to
 * them. Subclass it and {@link BaseManager.register} typeids, then
 * `start()` a server, or `connect()` to one started elsewhere.
 *
 * @example
 * class MathsManager extends BaseManager {}
 * MathsManager.register('Counter', taskRef(new URL('./counter.js', import.meta.url), 'Counter'));
 * await using manager = new MathsManager();
 * await manager.start();
 * const counter = await manager.create('Counter', 5);
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.managers.BaseManager
 */
export class BaseManager implements AsyncDisposable {
  readonly #authkey: Uint8Array;
  readonly #startMethod: StartMethod | undefined;
  /** ms; undefined waits for ever. */
  readonly #shutdownTimeout: number | undefined;
  #address: Address | undefined;
  #arbitrary = false;
  #state: number = State.initial;
  #launched: Launched | undefined;
  #shutdown: Promise<void> | undefined;

  /**
   * Registers `typeid`: `ref` names a factory function or a class (called
   * with `new`) that makes the object in the server. A client that only
   * connects registers the typeid without a `ref`.
   */
  static register(typeid: string, ref?: Task | null, options: RegisterOptions = {}): void {
    if (typeof typeid !== 'string' || typeid === '') throw new TypeError('typeid must be a non-empty string');
    const spec = ref === undefined || ref === null ? undefined : toTaskSpec(ref, 'ref');
    if (options.exposed !== undefined && !Array.isArray(options.exposed)) {
      throw new TypeError('exposed must be an array of method names');
    }
    registryOf(this).set(typeid, {
      spec,
      exposed: options.exposed === undefined ? undefined : Array.from<string>(options.exposed),
      methodToTypeid: options.methodToTypeid === undefined ? undefined : { ...options.methodToTypeid },
      createMethod: options.createMethod !== false,
      proxytype: 'AutoProxy',
      builtin: false,
    });
  }

  /**
   * @throws {TypeError} naming the option: `options` not an object, a bad
   *   `address`, `authkey`, `context` or `shutdownTimeout`.
   * @throws {RangeError} for an empty `authkey` or a port out of range.
   */
  constructor(options: BaseManagerOptions = {}) {
    const opts: BaseManagerOptions =
      checkOptionsObject(options, 'address, authkey, context, shutdownTimeout') ?? {};
    this.#address = opts.address === undefined ? undefined : checkAddress(opts.address);
    this.#authkey = toAuthKey(opts.authkey ?? currentProcess().authkey);
    this.#startMethod = contextStartMethod(opts.context);
    this.#shutdownTimeout = checkShutdownTimeout(opts.shutdownTimeout);
    for (const [typeid, reg] of registryOf(this.constructor)) {
      if (!reg.createMethod || typeid in this) continue;
      Object.defineProperty(this, typeid, {
        value: (...args: unknown[]) => this.create(typeid, ...args),
        enumerable: false,
        configurable: true,
      });
    }
  }

  /** The server's address: the bound one after `start()` (the real port for port 0). */
  get address(): Address | undefined {
    return this.#address;
  }

  #entries(): TypeEntry[] {
    return [...registryOf(this.constructor)].map(([typeid, r]) => ({
      typeid,
      spec: r.spec,
      builtin: r.builtin,
      exposed: r.exposed,
      methodToTypeid: r.methodToTypeid,
      proxytype: r.proxytype,
    }));
  }

  /**
   * Starts the server in a worker thread (or a child process under the
   * 'process' start method) and waits until it listens.
   *
   * @throws {StateError} `Already started server` on a second call.
   */
  async start(): Promise<void> {
    if (this.#state === State.started) throw new StateError('Already started server');
    if (this.#state === State.shutdown) throw new StateError('Manager has shut down');
    if (this.#state !== State.initial) throw new StateError(`Unknown state ${String(this.#state)}`);
    const startMethod = this.#startMethod ?? getStartMethod();
    let address = this.#address;
    if (address === undefined) {
      address = arbitraryAddress();
      this.#arbitrary = true;
    }
    this.#state = State.started;
    const data: ServerLaunchData = { address, authkey: this.#authkey, registry: this.#entries() };
    const launched = launch({
      entry: entryPath('server'),
      startMethod,
      name: `${this.constructor.name}-${String(++managerCounter)}`,
      data,
      daemon: true,
    });
    this.#launched = launched;
    try {
      this.#address = await new Promise<Address>((resolve, reject) => {
        launched.onMessage((message) => {
          if (!isServerMessage(message)) return;
          if (message.__mpManager === 'ready') {
            const channel = message.channel;
            if (channel !== undefined) {
              rememberServer(message.address, this.#authkey, channel);
              // However the server's thread ends, its channels' clients must
              // not wait for ever (a terminated thread closes nothing).
              const gone = (): void => {
                markHostGone(channel);
              };
              launched.exited.then(gone, gone);
            }
            resolve(message.address);
          } else if (message.__mpManager === 'error') reject(deserializeError(message.error));
        });
        launched.exited.then(
          (code) => {
            reject(
              launched.error ??
                new StateError(`the manager's server exited with code ${String(code)} before it listened`),
            );
          },
          (err: unknown) => {
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      });
    } catch (err) {
      this.#state = State.shutdown;
      launched.kill();
      if (this.#arbitrary) removeArbitraryAddress(address as string);
      throw err;
    }
    // An unshut manager must not keep the program alive; the server ends
    // with its parent (a thread dies with the process; a child process exits
    // when its IPC channel closes).
    launched.unref();
  }

  /**
   * Connects to a running server at `address` and checks the key.
   *
   * @throws {AuthenticationError} `digest sent was rejected` for a wrong key.
   * @throws the system error (ECONNREFUSED, ENOENT) when nothing listens there.
   */
  async connect(): Promise<void> {
    const address = this.#address;
    if (address === undefined) throw new TypeError('connect() needs the address given to the constructor');
    const client = await getClient(address, this.#authkey);
    const [status, value] = await client.request(Op.ping, 0, '');
    settle(status, value, address, this.#authkey);
    this.#state = State.connected;
  }

  /**
   * A server that runs in this thread; `await server.serveForever()` serves
   * until it is shut down. Mirrors `BaseManager.get_server()`.
   */
  getServer(): Server {
    if (this.#state !== State.initial) throw new StateError('server already started');
    return new Server({ address: this.#address, authkey: this.#authkey, registry: this.#entries() });
  }

  /** Makes an object of `typeid` in the server and resolves to its proxy. */
  async create(typeid: string, ...args: unknown[]): Promise<BaseProxy> {
    if (this.#state !== State.started && this.#state !== State.connected) {
      throw new StateError(
        this.#state === State.shutdown ? 'Manager has shut down' : 'server not yet started',
      );
    }
    const address = this.#address;
    if (address === undefined) throw new StateError('server not yet started');
    const [status, value] = await callServer(
      address,
      this.#authkey,
      Op.create,
      0,
      typeid,
      encode(args, 'args'),
    );
    return settle(status, value, address, this.#authkey) as BaseProxy;
  }

  /** Resolves once the server has ended (after `timeout` seconds at most). */
  async join(timeout?: number | null): Promise<void> {
    const launched = this.#launched;
    if (launched === undefined) return;
    await raceTimeout(launched.exited, timeoutMs(timeout), () => undefined);
  }

  /**
   * Shuts the server down (only one this manager started; a no-op
   * otherwise, and on later calls). Waits `shutdownTimeout` seconds, then
   * terminates it, as Python does.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#doShutdown();
    return this.#shutdown;
  }

  async #doShutdown(): Promise<void> {
    const launched = this.#launched;
    const address = this.#address;
    if (this.#state === State.connected && address !== undefined) dropClients(address);
    this.#state = State.shutdown;
    if (launched === undefined) return;
    if (launched.exitcode === null) {
      launched.ref();
      try {
        launched.postMessage({ __mpManager: 'shutdown' } satisfies ShutdownMessage);
      } catch {
        // Already gone.
      }
      const limit = this.#shutdownTimeout;
      if ((await raceTimeout(launched.exited, limit, () => undefined)) === undefined) {
        launched.terminate();
        if ((await raceTimeout(launched.exited, 1000, () => undefined)) === undefined) launched.kill();
      }
      launched.unref();
    }
    if (address !== undefined) {
      dropClients(address);
      if (this.#arbitrary && typeof address === 'string') removeArbitraryAddress(address);
    }
  }

  /** `await using manager = …` shuts the manager down at the end of the scope (Python's `with`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  /**
   * `<SyncManager state=STARTED address='/tmp/…'>`: the class, Python's state
   * name (INITIAL, STARTED, CONNECTED after `connect()`, SHUTDOWN) and the
   * address once known. Python's has no repr of its own.
   */
  toString(): string {
    const state = ['INITIAL', 'STARTED', 'CONNECTED', 'SHUTDOWN'][this.#state] ?? 'UNKNOWN';
    const address = this.#address === undefined ? '' : ` address=${reprAddress(this.#address)}`;
    return `<${this.constructor.name} state=${state}${address}>`;
  }

  /** `util.inspect` / `console.log` show {@link BaseManager.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}

// Every manager serves iterators, so a registered type's methods can name
// 'Iterator' in methodToTypeid (Python registers it on SyncManager only).
registerBuiltin(BaseManager, 'Iterator', 'IteratorProxy');
