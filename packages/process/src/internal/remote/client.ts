/**
 * The caller's side of one thread: every call this thread makes to objects
 * owned by other processes. A helper thread holds the sockets to the
 * owners' brokers, so a `…Sync` call can block this thread on shared memory
 * while the helper completes it, and every call of this thread travels one
 * ordered path (a producer's puts stay in order, whichever form it used).
 *
 * Calls made in one turn go to the helper together: a call awaited goes at
 * the end of the turn (a microtask), a streamed call at the latest in the
 * next turn (`setImmediate`) or once 64 KiB wait, and a blocking call at
 * once, with everything before it.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { decode, EOFError, type RemotePrefetch } from '@multiprocessing/core';
import { currentProcess } from '../../current-process.js';
import { entryPath } from '../entry-path.js';
import { onRemoteExit } from './exit-hooks.js';
import { owner } from './owner-state.js';
import { Prefetch } from './prefetch.js';
import {
  CALL,
  FLUSH,
  GIVE_BACK,
  OK,
  requestFrame,
  requestPayload,
  STREAM,
  TAKE,
  type RemoteData,
} from './wire.js';

/** Streamed calls waiting past this many bytes go to the helper at once. */
const FLUSH_BYTES = 64 * 1024;
/** A blocking call's reply up to this size comes back in shared memory (a message costs a system call more). */
const SYNC_REPLY_BYTES = 16 * 1024;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  /** The object called, which names its owner when that owner is gone. */
  data: RemoteData;
}

/** What the helper posts back. */
type HelperMessage = { replies: Uint8Array[] } | { closed: string; message: string };

/** One remote object as its callers in this thread use it. */
export class RemoteHandle {
  readonly data: RemoteData;
  readonly #client: RemoteClient;
  /** Streamed methods, by the caller's name, and what the owner runs for each. */
  readonly #streamed: ReadonlyMap<string, string>;
  /** A queue's items taken ahead of this thread's gets. */
  readonly #prefetch: Prefetch | undefined;

  constructor(client: RemoteClient, data: RemoteData, prefetch: RemotePrefetch | undefined) {
    this.data = data;
    this.#client = client;
    this.#streamed = new Map(Object.entries(data.streamed));
    if (data.prefetch === true && prefetch !== undefined) {
      this.#prefetch = new Prefetch(prefetch, {
        take: (max, options) => client.call(data, TAKE, [max, options]),
        takeSync: (max, options) => client.callSync(data, TAKE, [max, options]),
        giveBack: (items) => {
          client.send(data, GIVE_BACK, [items]);
        },
        holding: (p, yes) => {
          client.holding(p, yes);
        },
      });
    }
  }

  /** Runs `method` at the owner; resolves with its result. */
  call(method: string, args: unknown[]): Promise<unknown> {
    if (this.#prefetch !== undefined && method === 'get') return this.#prefetch.get(args[0]);
    try {
      const streamed = this.#streamed.get(method);
      if (streamed !== undefined) {
        this.#client.send(this.data, streamed, args);
        return Promise.resolve(undefined);
      }
      return this.#client.call(this.data, method, args);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Runs `method` at the owner, blocking this thread until it returns; `as` is the caller's name for it. */
  callSync(method: string, args: unknown[], as: string = method): unknown {
    const held = this.#prefetch;
    if (held !== undefined) {
      switch (as) {
        case 'getSync':
          return held.getSync(args[0]);
        case 'getNowait':
          return held.getSync({ block: false });
        case 'qsize':
          return held.held + (this.#client.callSync(this.data, method, args) as number);
        case 'empty':
          return held.held === 0 && this.#client.callSync(this.data, method, args);
      }
    }
    const streamed = this.#streamed.get(as);
    if (streamed !== undefined) {
      this.#client.send(this.data, streamed, args);
      return undefined;
    }
    return this.#client.callSync(this.data, method, args);
  }
}

/** This thread's calls to other processes' objects (see the file's header). */
export class RemoteClient {
  readonly #port: MessagePort;
  /** [0] bumped at each wake-up of a blocked call; [1] length of the reply in #replyBuf, 0 when none. */
  readonly #signal = new Int32Array(new SharedArrayBuffer(8));
  /** Where the helper puts the reply of a blocking call that fits, without a message. */
  readonly #replyBuf = new Uint8Array(new SharedArrayBuffer(SYNC_REPLY_BYTES));
  readonly #pending = new Map<number, Pending>();
  readonly #batches = new Map<string, Uint8Array[]>();
  /** The owner's pid of each broker address called. */
  readonly #pids = new Map<string, number>();
  #batchBytes = 0;
  readonly #dead = new Map<string, Error>();
  readonly #used = new Set<string>();
  /** Owners sent a streamed call since the last flush. */
  readonly #streamedTo = new Set<string>();
  #nextId = 1;
  #microtask = false;
  #immediate: NodeJS.Immediate | undefined;
  #syncId = 0;
  #syncReply: Uint8Array | undefined;
  readonly #holding = new Set<Prefetch>();

  constructor() {
    const { port1, port2 } = new MessageChannel();
    const me = currentProcess();
    const worker = new Worker(entryPath('remote-helper'), {
      workerData: {
        port: port2,
        signal: this.#signal,
        replyBuf: this.#replyBuf,
        authkey: owner.authkey ?? me.authkey,
        hello: [process.pid, me.name],
      },
      transferList: [port2],
    });
    worker.unref();
    worker.on('error', (err) => {
      this.#failAll(err);
    });
    this.#port = port1;
    port1.on('message', (m: HelperMessage) => {
      this.#onMessage(m);
    });
    port1.unref();
    onRemoteExit(() => {
      this.flushSync();
    });
    // Also when the program calls process.exit(): 'exit' listeners may block.
    process.once('exit', () => {
      this.flushSync();
    });
  }

  /** The handle of the remote object `data` names; `prefetch` from its class's spec. */
  handle(data: RemoteData, prefetch?: RemotePrefetch): RemoteHandle {
    return new RemoteHandle(this, data, prefetch);
  }

  /** Tracks the queues holding items taken ahead, which go back before this program exits. */
  holding(p: Prefetch, yes: boolean): void {
    if (yes) this.#holding.add(p);
    else this.#holding.delete(p);
  }

  #id(): number {
    const id = this.#nextId;
    this.#nextId = id >= 0xfffffffe ? 1 : id + 1;
    return id;
  }

  #enqueue(data: RemoteData, frame: Uint8Array): void {
    const addr = data.addr;
    if (data.pid !== 0) this.#pids.set(addr, data.pid);
    let batch = this.#batches.get(addr);
    if (batch === undefined) {
      batch = [];
      this.#batches.set(addr, batch);
    }
    batch.push(frame);
    this.#batchBytes += frame.length;
    this.#used.add(addr);
  }

  #post(syncId: number): void {
    for (const [addr, frames] of this.#batches) {
      let total = 0;
      for (const f of frames) total += f.length;
      const bytes = new Uint8Array(total);
      let off = 0;
      for (const f of frames) {
        bytes.set(f, off);
        off += f.length;
      }
      this.#port.postMessage({ addr, pid: this.#pids.get(addr) ?? 0, frames: bytes, sync: syncId }, [
        bytes.buffer,
      ]);
    }
    this.#batches.clear();
    this.#batchBytes = 0;
  }

  readonly #flushTurn = (): void => {
    this.#microtask = false;
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    this.#post(0);
  };

  #deadError(data: RemoteData): Error | undefined {
    const err = this.#dead.get(data.addr);
    if (err === undefined) return undefined;
    return new EOFError(`the process that owns this ${data.name} (pid ${String(data.pid)}) has ended`, {
      cause: err,
    });
  }

  /** Sends a call whose result the caller awaits. */
  call(data: RemoteData, method: string, args: unknown[]): Promise<unknown> {
    const dead = this.#deadError(data);
    if (dead !== undefined) return Promise.reject(dead);
    const id = this.#id();
    this.#enqueue(data, requestFrame(CALL, id, data.id, requestPayload(method, args)));
    if (!this.#microtask) {
      this.#microtask = true;
      queueMicrotask(this.#flushTurn);
    }
    if (this.#pending.size === 0) this.#port.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, data });
    });
  }

  /** Sends a call that gets no reply, in order with this thread's other calls. */
  send(data: RemoteData, method: string, args: unknown[]): void {
    const dead = this.#deadError(data);
    if (dead !== undefined) throw dead;
    this.#enqueue(data, requestFrame(STREAM, 0, data.id, requestPayload(method, args)));
    this.#streamedTo.add(data.addr);
    if (this.#batchBytes >= FLUSH_BYTES) this.#post(0);
    else if (!this.#microtask && this.#immediate === undefined)
      this.#immediate = setImmediate(this.#flushTurn);
  }

  /** Sends a call and blocks this thread until its reply comes. */
  callSync(data: RemoteData, method: string, args: unknown[], objId: number = data.id): unknown {
    const dead = this.#deadError(data);
    if (dead !== undefined) throw dead;
    const id = this.#id();
    this.#enqueue(data, requestFrame(CALL, id, objId, requestPayload(method, args)));
    this.#syncId = id;
    this.#syncReply = undefined;
    this.#post(id);
    try {
      for (;;) {
        const seen = Atomics.load(this.#signal, 0);
        for (
          let m = receiveMessageOnPort(this.#port);
          m !== undefined;
          m = receiveMessageOnPort(this.#port)
        ) {
          this.#onMessage(m.message as HelperMessage);
        }
        const inline = Atomics.load(this.#signal, 1);
        if (inline !== 0) {
          Atomics.store(this.#signal, 1, 0);
          return this.#result(this.#replyBuf.slice(0, inline));
        }
        const reply = this.#syncReply as Uint8Array | undefined;
        if (reply !== undefined) return this.#result(reply);
        const gone = this.#deadError(data);
        if (gone !== undefined) throw gone;
        Atomics.wait(this.#signal, 0, seen);
      }
    } finally {
      this.#syncId = 0;
      this.#syncReply = undefined;
    }
  }

  /**
   * Gives back held queue items, then blocks until every streamed call sent
   * so far has run at its owner (before this program exits).
   */
  flushSync(): void {
    for (const p of [...this.#holding]) p.giveBackAll();
    const owners = [...this.#streamedTo];
    this.#streamedTo.clear();
    for (const addr of owners) {
      if (this.#dead.has(addr)) continue;
      try {
        this.callSync({ addr, id: 0, name: 'object', pid: 0 } as RemoteData, FLUSH, [], 0);
      } catch {
        // The owner is gone: nothing left to deliver there.
      }
    }
  }

  #result(reply: Uint8Array): unknown {
    const value = reply.length > 5 ? decode(reply.subarray(5)) : undefined;
    if (reply[0] === OK) return value;
    throw value;
  }

  #onMessage(m: HelperMessage): void {
    if ('closed' in m) {
      this.#dead.set(m.closed, new EOFError(m.message));
      for (const [id, p] of this.#pending) {
        if (p.data.addr !== m.closed) continue;
        this.#pending.delete(id);
        p.reject(this.#deadError(p.data));
      }
      if (this.#pending.size === 0) this.#port.unref();
      return;
    }
    for (const reply of m.replies) {
      const id = new DataView(reply.buffer, reply.byteOffset, reply.byteLength).getUint32(1, true);
      if (id === this.#syncId) {
        this.#syncReply = reply;
        continue;
      }
      const p = this.#pending.get(id);
      if (p === undefined) continue;
      this.#pending.delete(id);
      try {
        p.resolve(this.#result(reply));
      } catch (err) {
        p.reject(err);
      }
    }
    if (this.#pending.size === 0) this.#port.unref();
  }

  #failAll(err: Error): void {
    for (const addr of this.#used) this.#dead.set(addr, err);
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
    this.#port.unref();
  }
}

let client: RemoteClient | undefined;

/** This thread's client, started on first use. */
export function remoteClient(): RemoteClient {
  return (client ??= new RemoteClient());
}
