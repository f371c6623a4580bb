/**
 * The manager server's object table and request dispatch: holds the shared
 * objects, creates them for `create` requests and runs their exposed
 * methods for `call` requests, as the caller that sent them (Python's
 * `Server.create`, `Server.serve_client`). The transport — sockets, the
 * in-process channels, shutdown — is `Server`'s (`../server.ts`).
 */
import { PicklingError, RemoteError, encode } from '@multiprocessing/core';
import { isError, keepsClass, loadTask } from '@multiprocessing/core/internal';
import { formatAddress, sameAddress, type Address } from '../address.js';
import { BaseProxy } from '../base-proxy.js';
import { callAs, withCaller, type Caller } from './caller.js';
import { FrameError } from '@multiprocessing/process/internal';
import { Op, Status, parseRequest, sendResponse, type ProxyMeta, type Request } from './protocol.js';
import { kServerShutdown } from './pool-referent.js';
import { BUILTINS, publicMethods, type TypeEntry } from './registry.js';
import { decodeArgs, encodeResult } from './small-values.js';
import type { FrameSink } from './transport.js';

interface ObjectEntry {
  readonly obj: object;
  readonly typeid: string;
  readonly exposed: ReadonlySet<string>;
  readonly exposedList: readonly string[];
  readonly methodToTypeid: Readonly<Record<string, string>> | undefined;
}

/** One authenticated client: where its replies go, and who it is to the objects. */
export interface ClientConn {
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

/** Runs an object's shutdown hook, if it has one (a Pool ends its workers). */
function release(obj: object): void {
  const hook = (obj as { [kServerShutdown]?: unknown })[kServerShutdown];
  if (typeof hook !== 'function') return;
  try {
    Reflect.apply(hook, obj, []);
  } catch {
    // One object's failure must not keep the others' resources.
  }
}

function isClass(fn: unknown): boolean {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/**
 * The objects of one server and the handling of its clients' requests.
 *
 * Invariants: `#objects` holds every object created and not yet released
 * (objects live until the server shuts down); ids are never reused.
 */
export class Dispatcher {
  readonly #registry = new Map<string, TypeEntry>();
  readonly #objects = new Map<number, ObjectEntry>();
  readonly #address: () => Address;
  readonly #shutdown: () => void;
  #nextObjectId = 1;
  /** Set once by shutdown(); objects made later are released at once. */
  #closed = false;

  /**
   * @param registry - the registered typeids.
   * @param address - the server's address (for proxies it is sent, and messages).
   * @param shutdown - stops the server (a client's shutdown request).
   */
  constructor(registry: readonly TypeEntry[], address: () => Address, shutdown: () => void) {
    for (const entry of registry) this.#registry.set(entry.typeid, entry);
    this.#address = address;
    this.#shutdown = shutdown;
  }

  /**
   * The server is shutting down: objects that hold resources of their own
   * (a Pool's workers) release them. Later requests find no server.
   */
  shutdown(): void {
    this.#closed = true;
    for (const { obj } of this.#objects.values()) release(obj);
  }

  /** The number of objects held. */
  get size(): number {
    return this.#objects.size;
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

  /** Handles one request frame of `conn`; its reply, or an error, goes to `conn.fs`. */
  handle(conn: ClientConn, frame: Buffer): void {
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
            this.#shutdown();
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
    const adopt = type.builtin === true ? BUILTINS.get(toTypeid)?.adopt : undefined;
    let obj: unknown = value;
    if (adopt !== undefined) {
      try {
        obj = adopt(value);
      } catch (err) {
        this.#sendError(conn, id, err);
        return;
      }
    }
    if (typeof obj !== 'object' || obj === null) {
      this.#sendError(conn, id, new RemoteError(`the result for typeid '${toTypeid}' is not an object`));
      return;
    }
    this.#send(conn, id, Status.proxy, this.#register(type, obj));
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
      methodToTypeid: type.methodToTypeid ?? (type.builtin === true ? builtin?.methodToTypeid : undefined),
    });
    return [type.typeid, id, type.proxytype, type.builtin === true ? [] : [...exposedList]];
  }

  /** The object behind a proxy of this server, or the value itself. */
  readonly #lookup = (value: unknown): unknown => {
    if (value instanceof BaseProxy && sameAddress(value._address, this.#address())) {
      return this.#objects.get(value._id)?.obj ?? value;
    }
    return value;
  };

  #create(conn: ClientConn, req: Request): void {
    const type = this.#registry.get(req.name);
    if (type === undefined) {
      throw new RemoteError(
        `KeyError: typeid '${req.name}' is not registered with the manager at ${formatAddress(this.#address())}`,
      );
    }
    const args = this.#args(req);
    const builtin = type.builtin === true ? BUILTINS.get(type.typeid) : undefined;
    if (builtin !== undefined) {
      const made = withCaller(conn.caller, () => builtin.create(args, this.#lookup));
      if (!isThenable(made)) {
        this.#send(conn, req.id, Status.proxy, this.#register(type, made));
        return;
      }
      made.then(
        (obj) => {
          // A Pool whose making began before shutdown() and ended after it
          // was not in #objects then: end its workers now.
          if (this.#closed) release(obj as object);
          this.#send(conn, req.id, Status.proxy, this.#register(type, obj as object));
        },
        (err: unknown) => {
          this.#sendError(conn, req.id, err);
        },
      );
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
}
