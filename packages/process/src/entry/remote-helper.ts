/**
 * The helper thread of a process's remote calls (internal/remote/client.ts):
 * it holds one authenticated socket per owner's broker, writes the frames
 * the calling thread posts, and posts the replies back, waking the calling
 * thread through shared memory when it is blocked in a `…Sync` call.
 */
import type { Socket } from 'node:net';
import { workerData, type MessagePort } from 'node:worker_threads';
import { encode } from '@multiprocessing/core';
import { clientHandshake, connectSocket } from '../internal/socket/connect.js';
import type { FrameSocket } from '../internal/socket/frames.js';
import { processRunning } from '../internal/remote/running.js';
import { HELLO, requestFrame } from '../internal/remote/wire.js';

interface HelperData {
  port: MessagePort;
  signal: Int32Array;
  replyBuf: Uint8Array;
  authkey: Uint8Array;
  hello: [number, string];
}

const { port, signal, replyBuf, authkey, hello } = workerData as HelperData;

interface Link {
  fs: FrameSocket | undefined;
  waiting: Uint8Array[];
}

const links = new Map<string, Link>();
const syncIds = new Set<number>();
let replies: Uint8Array[] = [];
let flushQueued = false;

function wake(): void {
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function flushReplies(): void {
  flushQueued = false;
  const out = replies;
  replies = [];
  if (out.length > 0) port.postMessage({ replies: out });
}

function onReply(frame: Buffer): void {
  const id = frame.readUInt32LE(1);
  if (syncIds.delete(id)) {
    // Replies that came first go first, then the one the thread waits for:
    // in shared memory when it fits, else as a message.
    if (frame.length > 0 && frame.length <= replyBuf.length) {
      flushReplies();
      replyBuf.set(frame);
      Atomics.store(signal, 1, frame.length);
    } else {
      replies.push(Uint8Array.from(frame));
      flushReplies();
    }
    wake();
    return;
  }
  const copy = new Uint8Array(frame.length);
  copy.set(frame);
  replies.push(copy);
  if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(flushReplies);
  }
}

function closed(addr: string, err: Error | undefined): void {
  links.delete(addr);
  flushReplies();
  port.postMessage({ closed: addr, message: err?.message ?? 'connection closed by the owner' });
  wake();
}

/** How long a caller retries an owner's broker that does not listen yet (it starts with the first object sent). */
const CONNECT_MS = 10_000;

/** Connects to a broker, retrying while it starts (its socket missing or refusing) and its process lives. */
async function connectBroker(addr: string, pid: number): Promise<Socket> {
  const deadline = Date.now() + CONNECT_MS;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    try {
      return await connectSocket(addr);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const starting = code === 'ENOENT' || code === 'ECONNREFUSED';
      if (!starting || Date.now() > deadline || !processRunning(pid)) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function open(addr: string, pid: number, link: Link): Promise<void> {
  try {
    const socket = await connectBroker(addr, pid);
    const inbox = await clientHandshake(socket, authkey);
    const fs = inbox.fs;
    inbox.detach(onReply);
    fs.onClose = (err) => {
      closed(addr, err);
    };
    fs.sendRaw(requestFrame(HELLO, 0, 0, encode(hello)));
    for (const bytes of link.waiting) fs.sendRaw(bytes);
    link.waiting = [];
    link.fs = fs;
  } catch (err) {
    closed(addr, err as Error);
  }
}

port.on('message', (m: { addr: string; pid: number; frames: Uint8Array; sync: number }) => {
  if (m.sync !== 0) syncIds.add(m.sync);
  let link = links.get(m.addr);
  if (link === undefined) {
    link = { fs: undefined, waiting: [] };
    links.set(m.addr, link);
    void open(m.addr, m.pid, link);
  }
  if (link.fs === undefined) link.waiting.push(m.frames);
  else link.fs.sendRaw(m.frames);
});
