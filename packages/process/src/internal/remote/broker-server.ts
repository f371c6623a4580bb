/**
 * The broker: a worker thread of a process that owns shared objects, which
 * runs other processes' calls on them. It listens on a Unix socket and
 * checks each connection with the process's authkey, as a Manager does.
 * Objects arrive from the main thread as it sends them (by id), over the
 * threads' own shared memory, so the broker works on the same memory.
 *
 * Each connection acts as one owner for the lock family: its calls run with
 * an owner id of its own (above 2^30), so an RLock held by one process is
 * not re-entered by another, and a Condition checks the right holder. A
 * caller's ordered calls on one object (puts, sends) run in the order they
 * came; a call that expects a reply runs once the caller's streamed calls
 * before it have run (whatever their object); the others run at once, so a
 * `get` that waits holds up nothing.
 */
import { createServer, type Socket } from 'node:net';
import { parentPort } from 'node:worker_threads';
import { decode, type RemoteSpec } from '@multiprocessing/core';
import {
  actAs,
  encodeForProcess,
  fromPostable,
  loadRevivers,
  loadShareable,
  type ShareableDescriptor,
} from '@multiprocessing/core/internal';
import { serverHandshake } from '../socket/connect.js';
import type { FrameSocket } from '../socket/frames.js';
import { owner } from './owner-state.js';
import { AT, CALL, ERR, FLUSH, GET, HELLO, OK, replyHead, REPR, SET, SET_AT, STREAM } from './wire.js';
import './exporter.js';

/** What the main thread gives the broker. */
export interface BrokerData {
  addr: string;
  authkey: Uint8Array;
}

/** How long a call may wait for its object's registration to arrive from the main thread. */
const REGISTRATION_MS = 10_000;
/** A peer that says nothing is dropped after this long. */
const HANDSHAKE_MS = 10_000;
/** The first owner id of another process. */
const FIRST_OWNER = 0x40000000;

interface Served {
  readonly value: Record<string, unknown>;
  readonly spec: RemoteSpec;
  readonly allowed: ReadonlySet<string>;
}

const served = new Map<number, Served>();
const arriving = new Map<number, ((s: Served) => void)[]>();
let nextOwner = FIRST_OWNER;

// The tag comes with the object: asking the object for its descriptor again
// would count a Pipe end's handle in flight that nothing ever revives.
function serve(id: number, value: object, tag: string): Served {
  const known = served.get(id);
  if (known !== undefined) return known;
  const spec = loadShareable(tag, '').remote ?? {};
  const allowed = new Set([
    ...(spec.async ?? []),
    ...(spec.sync ?? []),
    ...Object.values(spec.twins ?? {}),
    ...Object.values(spec.streamed?.(value as never) ?? {}),
    ...Object.keys(spec.owner ?? {}),
  ]);
  const s: Served = { value: value as Record<string, unknown>, spec, allowed };
  served.set(id, s);
  for (const resolve of arriving.get(id) ?? []) resolve(s);
  arriving.delete(id);
  return s;
}

function lookup(id: number): Served | Promise<Served> {
  const s = served.get(id);
  if (s !== undefined) return s;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new ReferenceError(`no shared object ${String(id)} in process ${String(process.pid)}`));
    }, REGISTRATION_MS);
    timer.unref();
    const list = arriving.get(id) ?? [];
    list.push((found) => {
      clearTimeout(timer);
      resolve(found);
    });
    arriving.set(id, list);
  });
}

function invoke(s: Served, method: string, args: unknown[]): unknown {
  const { value, spec } = s;
  switch (method) {
    case GET:
      if (spec.getters?.includes(String(args[0])) !== true) break;
      return value[String(args[0])];
    case SET:
      if (spec.setters?.includes(String(args[0])) !== true) break;
      value[String(args[0])] = args[1];
      return undefined;
    case AT:
      if (spec.indexed !== true) break;
      return value[String(args[0])];
    case SET_AT:
      if (spec.indexed !== true) break;
      value[String(args[0])] = args[1];
      return undefined;
    case REPR:
      return (value as { toString(): string }).toString();
    default: {
      if (!s.allowed.has(method)) break;
      const own = spec.owner?.[method as `.${string}`] as ((...a: unknown[]) => unknown) | undefined;
      if (own !== undefined) return own.apply(value, args);
      return (value[method] as (...a: unknown[]) => unknown)(...args);
    }
  }
  throw new TypeError(`${value.constructor.name}.${method} cannot be called from another process`);
}

/** One caller process's connection. */
class BrokerConnection {
  readonly #fs: FrameSocket;
  readonly #owner = nextOwner++;
  #name = 'SomeOtherProcess';
  /** Per object, the last ordered call of this caller still running. */
  readonly #tails = new Map<number, Promise<unknown>>();
  /**
   * Streamed calls received and not yet run. A call that expects a reply
   * waits until none is left, so it sees what its caller sent before it
   * without a reply (a put, then taskDone on another queue).
   */
  #streaming = 0;
  #idle: (() => void)[] = [];
  readonly #deferred = new Map<number, unknown>();
  readonly #used = new Set<Served>();

  constructor(fs: FrameSocket) {
    this.#fs = fs;
  }

  onFrame(frame: Buffer): void {
    const kind = frame[0];
    const callId = frame.readUInt32LE(1);
    const objId = frame.readUInt32LE(5);
    let message: [string, unknown[]];
    try {
      message = decode(frame.subarray(9)) as [string, unknown[]];
    } catch (err) {
      if (kind === CALL) this.#reply(callId, ERR, err);
      return;
    }
    if (kind === HELLO) {
      const [, name] = message as unknown as [number, string];
      if (typeof name === 'string') this.#name = name;
      return;
    }
    if (kind !== CALL && kind !== STREAM) return;
    const [method, args] = message;
    if (method === FLUSH) {
      void this.#streamsDone().then(() => {
        this.#reply(callId, OK, undefined);
      });
      return;
    }
    const s = served.get(objId);
    const ordered = kind === STREAM || s?.spec.ordered?.includes(method) === true;
    const tail = ordered ? this.#tails.get(objId) : undefined;
    const waits = tail !== undefined || (kind === CALL && this.#streaming > 0);
    if (!waits && s !== undefined && !this.#deferred.has(objId)) {
      // Nothing of this caller's is due first (the usual case): run it now.
      let result: unknown;
      try {
        result = this.#run(s, method, args);
      } catch (err) {
        this.#settle(kind, callId, objId, ERR, err);
        return;
      }
      if (!(result instanceof Promise)) {
        this.#settle(kind, callId, objId, OK, result);
        return;
      }
      this.#track(kind, callId, objId, ordered, result);
      return;
    }
    const before = kind === CALL ? Promise.all([tail, this.#streamsDone()]) : Promise.resolve(tail);
    const later = async (): Promise<unknown> => {
      const found = await lookup(objId);
      const failed = this.#deferred.get(objId);
      if (failed !== undefined && kind === CALL) {
        this.#deferred.delete(objId);
        throw failed as Error;
      }
      return await this.#run(found, method, args);
    };
    this.#track(kind, callId, objId, ordered, before.then(later, later));
  }

  #run(s: Served, method: string, args: unknown): unknown {
    this.#used.add(s);
    return actAs(this.#owner, this.#name, () => invoke(s, method, Array.isArray(args) ? args : []));
  }

  /** Follows a call that did not finish at once: its order, the count of streamed calls, its reply. */
  #track(kind: number, callId: number, objId: number, ordered: boolean, done: Promise<unknown>): void {
    if (ordered) {
      const tail = done.then(
        () => undefined,
        () => undefined,
      );
      this.#tails.set(objId, tail);
      void tail.then(() => {
        if (this.#tails.get(objId) === tail) this.#tails.delete(objId);
      });
    }
    if (kind === STREAM) this.#streaming++;
    done.then(
      (value) => {
        this.#ended(kind);
        this.#settle(kind, callId, objId, OK, value);
      },
      (err: unknown) => {
        this.#ended(kind);
        this.#settle(kind, callId, objId, ERR, err);
      },
    );
  }

  #ended(kind: number): void {
    if (kind !== STREAM || --this.#streaming > 0) return;
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
  }

  /** A call has run: its reply, or for a streamed call its count and any error it leaves for the next call. */
  #settle(kind: number, callId: number, objId: number, status: number, value: unknown): void {
    if (kind === CALL) {
      this.#reply(callId, status, value);
      return;
    }
    if (status === ERR && !this.#deferred.has(objId)) this.#deferred.set(objId, value);
  }

  /** Settles once no streamed call of this caller is left to run. */
  #streamsDone(): Promise<void> {
    if (this.#streaming === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #reply(callId: number, status: number, value: unknown): void {
    let body: Uint8Array;
    try {
      body = value === undefined ? new Uint8Array(0) : encodeForProcess(value, 'result');
    } catch (err) {
      status = ERR;
      body = encodeForProcess(err, 'error');
    }
    this.#fs.sendFrame(replyHead(status, callId), body);
  }

  /** The caller's process has gone: a Pipe's end it used is closed, so the other end sees EOF. */
  closed(): void {
    for (const s of this.#used) {
      if (s.spec.closeWhenUsersExit === true) (s.value.close as () => void)();
    }
  }
}

async function accept(socket: Socket, authkey: Uint8Array): Promise<void> {
  let fs: FrameSocket;
  try {
    const inbox = await serverHandshake(socket, authkey, HANDSHAKE_MS);
    fs = inbox.fs;
    const conn = new BrokerConnection(fs);
    inbox.detach((frame) => {
      conn.onFrame(frame);
    });
    fs.onClose = () => {
      conn.closed();
    };
  } catch {
    socket.destroy();
  }
}

/** Starts serving: registrations from the main thread, connections on `addr`. */
export function runBroker(data: BrokerData): void {
  owner.addr = data.addr;
  owner.authkey = data.authkey;
  owner.next = 1;
  owner.register = (id, value, tag) => {
    serve(id, value, tag);
  };
  parentPort?.on('message', (m: { id: number; desc: ShareableDescriptor }) => {
    void (async () => {
      await loadRevivers(m.desc);
      const value = fromPostable(m.desc) as object;
      owner.table.set(m.id, value);
      serve(m.id, value, m.desc.tag);
    })();
  });
  parentPort?.unref();
  const server = createServer((socket) => {
    void accept(socket, data.authkey);
  });
  server.on('error', (err) => {
    // The main thread hears of it through the worker's 'error' event.
    throw err;
  });
  server.listen(data.addr);
}
