/**
 * The server's side of the in-process channel. A client thread of this
 * process makes a `Pipe` (@multiprocessing/queue), keeps one end and posts
 * the other, encoded, on the host's BroadcastChannel; the host revives it
 * and serves it like an authenticated socket. Requests and replies are the
 * socket's frames (protocol.ts), so the server handles both alike.
 *
 * The channel is handed out only inside this process (the BroadcastChannel
 * reaches no other process, and the tag is adopted only in this one), and
 * the client sends the authkey it holds, which must match: a client that
 * holds another key never takes the channel and fails the socket's
 * handshake instead.
 */
import { createServer, type Server as NetServer } from 'node:net';
import { BroadcastChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { exportSharedBuffer, fromPostable } from '@multiprocessing/core/internal';
import { Connection } from '@multiprocessing/queue/internal';
import { channelName, HOST_STATE_BYTES, makeTag, OPEN } from './in-process.js';
import { spin } from './spin.js';
import { eachFrame, FrameBatch, nextMessage, type FrameSink } from './transport.js';

/** What a client posts to open a channel. */
export interface OpenMessage {
  /** The authkey the client holds. */
  readonly k: Uint8Array;
  /** The server's end of the client's Pipe, as `toPostable` gives it (core's structured-clone wire). */
  readonly c: unknown;
}

/** How the host hands a new channel to the server (see `Server._addConnection`). */
export type AddConnection = (
  sink: FrameSink,
) => { request: (frame: Buffer) => void; closed: () => void } | undefined;

/**
 * Frames read in a row before the host yields to the event loop, so that a
 * client that keeps its ring full cannot starve the socket clients.
 */
const BATCH = 32;

/** The longest a spin serves requests in a row before it yields to the event loop, in ms. */
const MAX_SPIN_MS = 0.5;

function sameKey(a: Uint8Array, b: unknown): boolean {
  if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Invariants: the open word is 1 until {@link ChannelHost.close}, which sets
 * it to 0 before it drains the BroadcastChannel; a client reads the word
 * after it posted, so every channel posted while the word was 1 is either
 * served or closed (its client sees EOF), never left pending.
 */
export class ChannelHost {
  /** `<pid>/<buffer id>`: what clients need to find this host. */
  readonly tag: string;
  readonly #state: Int32Array;
  readonly #channel: BroadcastChannel;
  readonly #authkey: Uint8Array;
  readonly #add: AddConnection;
  /** The channels being served, each with the function that ends it. */
  readonly #served = new Set<() => void>();
  /** The connections of the channels being served (for the spin's fairness check). */
  readonly #conns = new Set<Connection>();
  #alive: NetServer | undefined;

  constructor(authkey: Uint8Array, add: AddConnection) {
    const sab = new SharedArrayBuffer(HOST_STATE_BYTES);
    this.#state = new Int32Array(sab);
    Atomics.store(this.#state, OPEN, 1);
    this.tag = makeTag(exportSharedBuffer(sab));
    this.#authkey = authkey;
    this.#add = add;
    this.#channel = new BroadcastChannel(channelName(this.tag));
    this.#channel.onmessage = (event: unknown) => {
      this.#open((event as { data: unknown }).data);
    };
    this.#channel.unref();
  }

  /**
   * Listens on `path` (see `livenessPath`) until {@link ChannelHost.close};
   * clients probe it while their calls are in flight.
   */
  async listenAlive(path: string): Promise<void> {
    const alive = createServer((socket) => socket.destroy());
    alive.unref();
    this.#alive = alive;
    await new Promise<void>((resolve, reject) => {
      alive.once('error', reject);
      alive.listen(path, () => {
        alive.off('error', reject);
        resolve();
      });
    });
  }

  /** Stops accepting channels and closes those open (their clients see EOF). Idempotent. */
  close(): void {
    this.#alive?.close();
    this.#alive = undefined;
    if (Atomics.load(this.#state, OPEN) === 0 && this.#served.size === 0) return;
    Atomics.store(this.#state, OPEN, 0);
    Atomics.notify(this.#state, OPEN);
    this.#drain();
    this.#channel.close();
    for (const finish of [...this.#served]) finish();
  }

  /** Takes the channels posted and not yet received (each is closed, as the host is). */
  #drain(): void {
    for (;;) {
      let msg: { message: unknown } | undefined;
      try {
        msg = receiveMessageOnPort(this.#channel as unknown as MessagePort);
      } catch {
        // Deno cannot read a BroadcastChannel synchronously; a client whose
        // channel is left unserved finds the open word cleared instead.
        return;
      }
      if (msg === undefined) return;
      this.#open(msg.message);
    }
  }

  #open(data: unknown): void {
    const msg = data as Partial<OpenMessage> | null;
    let conn: unknown;
    try {
      conn = msg?.c === undefined ? undefined : fromPostable(msg.c);
    } catch {
      return;
    }
    if (!(conn instanceof Connection)) return;
    if (Atomics.load(this.#state, OPEN) === 0 || !sameKey(this.#authkey, msg?.k)) {
      conn.close();
      return;
    }
    this.#serve(conn);
  }

  #serve(conn: Connection): void {
    let done = false;
    const finish = (): void => {
      if (done) return;
      // Replies of this turn go out first, as a socket flushes at shutdown.
      batch.flush();
      done = true;
      this.#served.delete(finish);
      conn.close();
      hooks?.closed();
    };
    const batch = new FrameBatch((message) => {
      if (done) return;
      try {
        conn.sendBytes(message);
      } catch {
        // Broken pipe: the client is gone.
        finish();
      }
    });
    const sink: FrameSink = {
      sendFrame: (head, body) => {
        if (!done) batch.add(head, body);
      },
      beginFrame: (length) => (done ? -1 : batch.beginFrame(length)),
      get staged() {
        return batch.staged;
      },
      close: finish,
    };
    const hooks = this.#add(sink);
    if (hooks === undefined) {
      conn.close();
      return;
    }
    this.#served.add(finish);
    this.#conns.add(conn);
    void (async () => {
      try {
        for (;;) {
          for (let n = 0; n < BATCH && !done;) {
            const message = await nextMessage(conn);
            if (message === undefined) continue;
            eachFrame(message, hooks.request);
            // The replies go now, and the next request is polled for a
            // moment before this channel parks.
            batch.flush();
            n += 1 + (done ? 0 : this.#spin(conn, hooks.request, batch, BATCH - n - 1));
          }
          if (done) return;
          await yieldToLoop();
        }
      } catch {
        // EOF (the client closed its end) or this end was closed.
        finish();
      } finally {
        this.#conns.delete(conn);
      }
    })();
  }

  /**
   * Polls `conn` for requests for a bounded window (internal/spin.ts) and
   * serves at most `max` of them at once; returns how many it served. Stops
   * as soon as another channel has a request (its own read takes it, fairly)
   * and after MAX_SPIN_MS in all, so sockets and timers wait at most that.
   * Runs only between two awaited reads of `conn`, so no async read shares
   * its ring.
   */
  #spin(conn: Connection, request: (frame: Buffer) => void, batch: FrameBatch, max: number): number {
    if (max <= 0) return 0;
    const ms = spin.begin(this.#state);
    if (ms === 0) return 0;
    let served = 0;
    try {
      const start = performance.now();
      let last = start;
      while (served < max) {
        if (conn.pollSync(0)) {
          eachFrame(conn.recvBytesSync(), request);
          batch.flush();
          served++;
          last = performance.now();
          if (last - start > MAX_SPIN_MS) break;
          continue;
        }
        if (this.#othersReady(conn) || performance.now() - last > ms) break;
      }
    } finally {
      spin.end(this.#state, served > 0);
    }
    return served;
  }

  /** True when a channel other than `mine` has a request waiting. */
  #othersReady(mine: Connection): boolean {
    if (this.#conns.size === 1) return false;
    for (const c of this.#conns) if (c !== mine && !c.closed && c.pollSync(0)) return true;
    return false;
  }
}
