/**
 * The client's side of the in-process channel (see channel-host.ts): one
 * `Pipe` per server per thread, its far end posted to the server's host. A
 * reply is read only while requests are in flight, so an idle channel never
 * keeps the thread alive. A server whose thread ends without closing its
 * channels (terminated after the shutdown timeout) is noticed through the
 * host's open word, which the thread that started it clears; so is a channel
 * posted as the host closed, where the host cannot drain its BroadcastChannel
 * (Deno).
 */
import { connect } from 'node:net';
import { BroadcastChannel, isMainThread } from 'node:worker_threads';
import { toPostable } from '@multiprocessing/core/internal';
import { Pipe, type Connection } from '@multiprocessing/queue/internal';
import { channelName, hostState, livenessPath, OPEN } from './in-process.js';
import type { OpenMessage } from './channel-host.js';
import { spin } from './spin.js';
import { eachFrame, FrameBatch, nextMessage, type ClientTransport } from './transport.js';

/** How often a thread with calls in flight looks for hosts that are gone, in ms. */
const WATCH_MS = 100;
/**
 * Every how many watches a channel with calls in flight probes its host's
 * liveness socket (in-process.ts): a server thread terminated together with
 * the thread that started it leaves nobody to clear its open word, but its
 * sockets close with it, so the connect fails.
 */
const PROBE_EVERY_WATCH = 10;

// The open channels of this thread, and the watch over them.
const live = new Set<ChannelTransport>();
let watch: NodeJS.Timeout | undefined;

function watchHosts(): void {
  for (const t of live) t.checkHost();
  if (live.size === 0 && watch !== undefined) {
    clearInterval(watch);
    watch = undefined;
  }
}

if (!isMainThread) {
  // A worker's channels close when it ends, so the server drops its
  // callers (and their waits), as it does for a socket that closes.
  // Before the queue package's exit drain (registered first): output to a
  // host that is gone is dropped, not waited for.
  process.prependOnceListener('exit', () => {
    for (const t of [...live]) t.close();
  });
}

class ChannelTransport implements ClientTransport {
  onFrame: (frame: Buffer) => void = () => undefined;
  onClose: (error: Error | undefined) => void = () => undefined;
  readonly #conn: Connection<never>;
  readonly #host: Int32Array;
  readonly #address: string;
  #watches = 0;
  #probing = false;
  readonly #batch: FrameBatch;
  #reffed = false;
  #reading = false;
  #closed = false;

  constructor(conn: Connection<never>, host: Int32Array, address: string) {
    this.#conn = conn;
    this.#host = host;
    this.#address = address;
    this.#batch = new FrameBatch((message) => {
      if (this.#closed) return;
      try {
        conn.sendBytes(message);
      } catch (err) {
        this.close(err as Error);
        return;
      }
      // Read only once the requests are out: a read that finds nothing may
      // spin before it parks, and must not delay its own request.
      if (this.#reffed && !this.#reading && !this.#spinRead()) void this.#read();
    });
    live.add(this);
    if (watch === undefined) {
      watch = setInterval(watchHosts, WATCH_MS);
      watch.unref();
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Fails the channel if its host is gone while a reply is due. */
  checkHost(): void {
    if (!this.#reffed) {
      this.#watches = 0;
      return;
    }
    if (Atomics.load(this.#host, OPEN) === 0) {
      this.close(new Error("the manager's server thread has ended"));
    } else if (++this.#watches % PROBE_EVERY_WATCH === 0) {
      this.#probe();
    }
  }

  /** Connects to the host's liveness socket; a failed connect means its thread is gone. */
  #probe(): void {
    if (this.#probing) return;
    this.#probing = true;
    const socket = connect(livenessPath(this.#address));
    socket.unref();
    socket.once('connect', () => {
      this.#probing = false;
      socket.destroy();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      this.#probing = false;
      // Nobody listens there any more: the host's thread is gone.
      if (err.code !== 'ECONNREFUSED' && err.code !== 'ENOENT') return;
      Atomics.store(this.#host, OPEN, 0);
      Atomics.notify(this.#host, OPEN);
      this.checkHost();
    });
  }

  sendFrame(head: Uint8Array, body: Uint8Array): void {
    if (!this.#closed) this.#batch.add(head, body);
  }

  beginFrame(length: number): number {
    return this.#closed ? -1 : this.#batch.beginFrame(length);
  }

  get staged(): Buffer {
    return this.#batch.staged;
  }

  /** A request follows at once; its send starts the read of the replies. */
  ref(): void {
    this.#reffed = true;
  }

  unref(): void {
    this.#reffed = false;
  }

  /**
   * Polls for the replies for a bounded window (internal/spin.ts), handling
   * each at once; true when none is due any more, false when the caller
   * must park in {@link ChannelTransport.#read}. Runs only while no async
   * read is pending, so the two never share the ring.
   */
  #spinRead(): boolean {
    const ms = spin.begin(this.#host);
    if (ms === 0) return false;
    const conn = this.#conn;
    let hit = false;
    try {
      let last = performance.now();
      for (;;) {
        if (conn.pollSync(0)) {
          eachFrame(conn.recvBytesSync(), this.onFrame);
          hit = true;
          if (!this.#reffed || this.#closed) return true;
          last = performance.now();
        } else if (performance.now() - last > ms) {
          return false;
        }
      }
    } catch (err) {
      this.close(err as Error);
      return true;
    } finally {
      spin.end(this.#host, hit);
    }
  }

  async #read(): Promise<void> {
    this.#reading = true;
    const conn = this.#conn;
    try {
      while (this.#reffed && !this.#closed) {
        const message = await nextMessage(conn);
        if (this.#closed) return;
        if (message !== undefined) eachFrame(message, this.onFrame);
      }
    } catch (err) {
      this.close(err as Error);
    } finally {
      this.#reading = false;
    }
  }

  close(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    // A host that is gone never reads again: what is still buffered for it
    // here is dropped, or this thread's exit would wait for it for ever.
    if (Atomics.load(this.#host, OPEN) === 0) this.#conn._peerGone();
    live.delete(this);
    this.#conn.close();
    this.onClose(error);
  }
}

/**
 * Opens a channel to the host of `tag`, or returns undefined when the tag is
 * not of this process or its host is gone. The channel is usable at once:
 * requests wait in the ring until the host takes it. When the host goes
 * away while this is posted, the channel comes back closed.
 */
export function openChannel(tag: string, address: string, authkey: Uint8Array): ClientTransport | undefined {
  const host = hostState(tag);
  // Not of this process, or gone: the socket tells the caller what it would.
  if (host === undefined || Atomics.load(host, OPEN) === 0) return undefined;
  const [mine, theirs] = Pipe<never>();
  // The structured-clone wire, not the codec: a thread that only makes
  // small calls then never loads msgpackr (see small-values.ts).
  let far: unknown;
  try {
    far = toPostable(theirs).value;
  } finally {
    theirs.close();
  }
  const transport = new ChannelTransport(mine, host, address);
  const post = new BroadcastChannel(channelName(tag));
  post.postMessage({ k: authkey, c: far } satisfies OpenMessage);
  post.close();
  // Read after posting: a host that closed before it could see the message
  // has cleared the word first (see ChannelHost).
  if (Atomics.load(host, OPEN) === 0) transport.close();
  return transport;
}
