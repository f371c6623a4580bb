/**
 * Which manager servers run in this OS process. A server started in a
 * worker thread of this process opens a channel host (channel-host.ts) and
 * is known by its tag, `<pid>/<shared-buffer id>`: the buffer holds the
 * host's open word, and the tag names the BroadcastChannel the host listens
 * on. The thread that started the server learns the tag from the server's
 * ready message; other threads learn it from the proxies they receive
 * (a proxy carries the tag of its server, see proxy.ts). A tag of another
 * process is never adopted, so a proxy that crosses into a child process
 * reaches its server by socket.
 */
import { importSharedBuffer } from '@multiprocessing/core/internal';
import { addressKey, type Address } from '../address.js';

/** Word 0 of the tag's buffer: 1 while the host accepts channels, 0 once it is gone. */
export const OPEN = 0;
/** Word 1: how many threads spin on the host's channels now (internal/spin.ts). */
export const SPINNERS = 1;
/** Bytes of the tag's buffer. */
export const HOST_STATE_BYTES = 8;

const keyHex = new WeakMap<Uint8Array, string>();
// clientKey → tag, for the servers of this process that this thread knows.
const tags = new Map<string, string>();

// The last key computed: proxy calls repeat the same address and key.
let lastAddress: Address | undefined;
let lastAuthkey: Uint8Array | undefined;
let lastKey = '';

/** The key of this thread's connection to the server at `address` with `authkey`. */
export function clientKey(address: Address, authkey: Uint8Array): string {
  if (address === lastAddress && authkey === lastAuthkey) return lastKey;
  const key = makeClientKey(address, authkey);
  lastAddress = address;
  lastAuthkey = authkey;
  lastKey = key;
  return key;
}

function makeClientKey(address: Address, authkey: Uint8Array): string {
  let hex = keyHex.get(authkey);
  if (hex === undefined) {
    hex = Buffer.from(authkey).toString('hex');
    keyHex.set(authkey, hex);
  }
  return `${addressKey(address)}#${hex}`;
}

/**
 * The Unix socket a channel host listens on only to show that its thread is
 * alive: a thread that is terminated runs no code, but its sockets close
 * with it, so a connect there fails. Nobody else knows the path, so nobody
 * unlinks it while the host runs (the server's own socket may be).
 */
export function livenessPath(address: string): string {
  return `${address}.alive`;
}

/** The name of the BroadcastChannel the host of `tag` listens on. */
export function channelName(tag: string): string {
  return `@multiprocessing/manager:channel:${tag}`;
}

/** The tag of a host in this process, from its shared-buffer id. */
export function makeTag(bufferId: string): string {
  return `${String(process.pid)}/${bufferId}`;
}

/** The open word of the host of `tag`, or undefined when the tag is not of this process. */
export function hostState(tag: string): Int32Array | undefined {
  const prefix = `${String(process.pid)}/`;
  if (!tag.startsWith(prefix)) return undefined;
  try {
    return new Int32Array(importSharedBuffer(tag.slice(prefix.length)));
  } catch {
    return undefined;
  }
}

/** Records that the server at `address` (with `authkey`) runs in this process as `tag`. */
export function rememberServer(address: Address, authkey: Uint8Array, tag: string | undefined): void {
  if (!tag?.startsWith(`${String(process.pid)}/`)) return;
  tags.set(clientKey(address, authkey), tag);
}

/** The tag of the in-process server behind `key`, if this thread knows one. */
export function serverTag(key: string): string | undefined {
  return tags.get(key);
}

/**
 * Marks the host of `tag` gone (its thread ended, however it ended) and
 * wakes whoever waits on the word; clients with calls in flight then fail
 * them with EOFError instead of waiting for ever.
 */
export function markHostGone(tag: string): void {
  const state = hostState(tag);
  if (state === undefined) return;
  Atomics.store(state, OPEN, 0);
  Atomics.notify(state, OPEN);
}
