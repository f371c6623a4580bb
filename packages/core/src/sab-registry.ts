/**
 * SharedArrayBuffers inside byte-encoded messages (queue items, pipe
 * messages). Bytes cannot hold shared memory, so a SAB travels in the bytes
 * as an id, and every thread of this process learns which buffer each id
 * names before any bytes that carry the id can reach it:
 *
 * - A buffer is announced on a process-wide BroadcastChannel when it is
 *   first exported, and again on every export (for threads whose channel
 *   opened late). `postMessage` is enqueued before it returns, so a receiver
 *   that reads the id after the sender published the bytes finds the
 *   announcement in its channel.
 * - A thread that is started gets a hand-off ({@link sharedBufferHandoff},
 *   passed in its `workerData`): the buffers known so far, and a relay port
 *   on which its starter forwards every buffer it learns from then on. The
 *   relay covers the gap before the new thread opens its own channel: a
 *   buffer made after the thread started, and put on a queue it reads,
 *   reaches it even though the broadcast went out before it listened.
 */
import {
  BroadcastChannel,
  MessageChannel,
  isMainThread,
  receiveMessageOnPort,
  threadId,
  workerData,
  type MessagePort,
} from 'node:worker_threads';
import { PicklingError, StateError } from './errors.js';
import { threadGlobal } from './internal/thread-global.js';

interface Announcement {
  readonly id: string;
  readonly sab: SharedArrayBuffer;
}

/** What a thread hands to a thread it starts; see {@link sharedBufferHandoff}. */
export interface SharedBufferHandoff {
  readonly buffers: [string, SharedArrayBuffer][];
  /** Receives every buffer the starter learns after the hand-off. Transfer it. */
  readonly relay: MessagePort;
}

/** The `workerData` key under which a started thread finds its {@link SharedBufferHandoff}. */
export const kSharedBuffers = '@multiprocessing/core:shared-buffers';

function handoffFromStarter(): SharedBufferHandoff | undefined {
  if (isMainThread || typeof workerData !== 'object' || workerData === null) return undefined;
  return (workerData as Record<string, SharedBufferHandoff | undefined>)[kSharedBuffers];
}

// Invariant: `known` maps every id this thread has announced or received to
// its buffer; `ids` is the reverse map for the buffers announced here. Both
// only grow: a received buffer may be referenced by bytes still in flight.
// `relays` are the ports of the threads this one started that are still
// running; each has been sent every buffer learned since its hand-off.
// Every copy of core in this thread shares them (see thread-global.ts), so
// ids stay unique and a buffer one copy announced is known to the others.
const state = threadGlobal('shared-buffers', () => {
  const handoff = handoffFromStarter();
  return {
    known: new Map<string, SharedArrayBuffer>(handoff?.buffers),
    ids: new WeakMap<SharedArrayBuffer, string>(),
    counter: 0,
    relays: new Set<MessagePort>(),
    fromStarter: handoff?.relay,
  };
});
const { known, ids, relays } = state;
let channel: BroadcastChannel | undefined;

/** Records a buffer and passes it on to the threads this one started. */
function learn(id: string, sab: SharedArrayBuffer): void {
  if (known.has(id)) return;
  known.set(id, sab);
  for (const relay of relays) relay.postMessage({ id, sab } satisfies Announcement);
}

function getChannel(): BroadcastChannel {
  if (channel === undefined) {
    channel = new BroadcastChannel('@multiprocessing/core:sab');
    channel.onmessage = (event: unknown) => {
      const { id, sab } = (event as { data: Announcement }).data;
      learn(id, sab);
    };
    channel.unref();
  }
  return channel;
}

/** Every buffer this thread knows, for a thread about to start. */
export function sharedBufferSnapshot(): [string, SharedArrayBuffer][] {
  return [...known];
}

/**
 * What a thread about to start needs: the buffers known now and a relay for
 * those learned later. Put it in the new thread's `workerData` under
 * {@link kSharedBuffers} and transfer `relay`.
 */
export function sharedBufferHandoff(): SharedBufferHandoff {
  // Every thread of the process must find the same named memory.
  if (isMainThread) processSharedMemory();
  const { port1, port2 } = new MessageChannel();
  relays.add(port1);
  // The port closes when the started thread ends.
  port1.once('close', () => relays.delete(port1));
  port1.unref();
  return { buffers: sharedBufferSnapshot(), relay: port2 };
}

/** Adopts a snapshot taken by the thread that started this one. */
export function adoptSharedBuffers(snapshot: Iterable<[string, SharedArrayBuffer]>): void {
  for (const [id, sab] of snapshot) learn(id, sab);
}

// Listen from the moment core is loaded, so announcements are not missed.
getChannel();

/** Announces `sab` to every thread of this process and returns its id. */
export function exportSharedBuffer(sab: SharedArrayBuffer): string {
  let id = ids.get(sab);
  if (id === undefined) {
    id = `${String(process.pid)}.${String(threadId)}.${String(state.counter++)}`;
    ids.set(sab, id);
    learn(id, sab);
  }
  getChannel().postMessage({ id, sab } satisfies Announcement);
  return id;
}

function drain(port: MessagePort | BroadcastChannel | undefined): void {
  if (port === undefined) return;
  for (;;) {
    let msg: { message: unknown } | undefined;
    try {
      msg = receiveMessageOnPort(port as MessagePort);
    } catch {
      // Deno cannot read a BroadcastChannel synchronously; the relay and the
      // channel's own listener still deliver.
      return;
    }
    if (msg === undefined) return;
    const { id, sab } = msg.message as Announcement;
    learn(id, sab);
  }
}

/** The buffer announced under `id`. */
export function importSharedBuffer(id: string): SharedArrayBuffer {
  let sab = known.get(id);
  if (sab !== undefined) return sab;
  drain(state.fromStarter);
  drain(getChannel());
  sab = known.get(id);
  if (sab === undefined) {
    throw new PicklingError(
      `shared memory ${id} is unknown in this thread; SharedArrayBuffers only cross between threads of one process`,
    );
  }
  return sab;
}

const PROCESS_MEMORY_ID = 'process-shared-memory';
/** The largest `maxByteLength` V8 accepts for a growable SharedArrayBuffer (Node 20). */
const PROCESS_MEMORY_MAX = 2 ** 32;

/**
 * One growable SharedArrayBuffer for the whole process (every thread this
 * runtime started sees the same one): the memory of named segments
 * (`SharedMemory`). The main thread makes it, empty, before it hands
 * buffers to its first thread, so every thread started afterwards, at any
 * depth, has it from its hand-off.
 *
 * @throws {StateError} in a thread this runtime did not start.
 */
export function processSharedMemory(): SharedArrayBuffer {
  let sab = known.get(PROCESS_MEMORY_ID);
  if (sab !== undefined) return sab;
  if (!isMainThread) {
    throw new StateError(
      'this thread was not started by @multiprocessing, so it shares no named memory with the other threads',
    );
  }
  sab = new SharedArrayBuffer(0, { maxByteLength: PROCESS_MEMORY_MAX });
  learn(PROCESS_MEMORY_ID, sab);
  return sab;
}
