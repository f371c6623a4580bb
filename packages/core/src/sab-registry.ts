/**
 * SharedArrayBuffers inside byte-encoded messages (queue items, pipe
 * messages). Bytes cannot hold shared memory, so a SAB is announced once on a
 * process-wide BroadcastChannel and travels in the bytes as an id. Every
 * thread of this process can then turn the id back into the same memory.
 * `postMessage` is enqueued before it returns, so a receiver that reads the
 * id after the sender published the bytes always finds the announcement.
 * The announcement is repeated on every export, so a thread that opened its
 * channel late still hears it; threads started later get a snapshot of what
 * is known through {@link sharedBufferSnapshot} (the process runtime passes
 * it in `workerData`).
 */
import { threadId, BroadcastChannel, receiveMessageOnPort } from 'node:worker_threads';
import { PicklingError } from './errors.js';
import { threadGlobal } from './internal/thread-global.js';

interface Announcement {
  readonly id: string;
  readonly sab: SharedArrayBuffer;
}

// Invariant: `known` maps every id this thread has announced or received to
// its buffer; `ids` is the reverse map for the buffers announced here. Both
// only grow: a received buffer may be referenced by bytes still in flight.
// Every copy of core in this thread shares them (see thread-global.ts), so
// ids stay unique and a buffer one copy announced is known to the others.
const state = threadGlobal('shared-buffers', () => ({
  known: new Map<string, SharedArrayBuffer>(),
  ids: new WeakMap<SharedArrayBuffer, string>(),
  counter: 0,
}));
const { known, ids } = state;
let channel: BroadcastChannel | undefined;

function getChannel(): BroadcastChannel {
  if (channel === undefined) {
    channel = new BroadcastChannel('@multiprocessing/core:sab');
    channel.onmessage = (event: unknown) => {
      const { id, sab } = (event as { data: Announcement }).data;
      known.set(id, sab);
    };
    channel.unref();
  }
  return channel;
}

/** Every buffer this thread knows, for a thread about to start. */
export function sharedBufferSnapshot(): [string, SharedArrayBuffer][] {
  return [...known];
}

/** Adopts a snapshot taken by the thread that started this one. */
export function adoptSharedBuffers(snapshot: Iterable<[string, SharedArrayBuffer]>): void {
  for (const [id, sab] of snapshot) known.set(id, sab);
}

// Listen from the moment core is loaded, so announcements are not missed.
getChannel();

/** Announces `sab` to every thread of this process and returns its id. */
export function exportSharedBuffer(sab: SharedArrayBuffer): string {
  let id = ids.get(sab);
  if (id === undefined) {
    id = `${String(process.pid)}.${String(threadId)}.${String(state.counter++)}`;
    ids.set(sab, id);
    known.set(id, sab);
  }
  getChannel().postMessage({ id, sab } satisfies Announcement);
  return id;
}

/** The buffer announced under `id`. */
export function importSharedBuffer(id: string): SharedArrayBuffer {
  let sab = known.get(id);
  if (sab !== undefined) return sab;
  const port = getChannel();
  for (;;) {
    const msg = receiveMessageOnPort(port as never);
    if (msg === undefined) break;
    const { id: otherId, sab: other } = msg.message as Announcement;
    known.set(otherId, other);
  }
  sab = known.get(id);
  if (sab === undefined) {
    throw new PicklingError(
      `shared memory ${id} is unknown in this thread; SharedArrayBuffers only cross between threads of one process`,
    );
  }
  return sab;
}
