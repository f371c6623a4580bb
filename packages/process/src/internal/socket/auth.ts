/**
 * The mutual authentication of `multiprocessing.connection` (Python ≥ 3.12):
 * the verifier sends `#CHALLENGE#{sha256}` + 40 random bytes, the other side
 * answers `{sha256}` + HMAC-SHA256(authkey, `{sha256}` + nonce), and the
 * verifier replies `#WELCOME#` or `#FAILURE#`. A listener delivers then
 * answers; a client answers then delivers. The key itself is never sent.
 * Digests are compared with `crypto.timingSafeEqual`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '@multiprocessing/core';
import type { FrameInbox } from './inbox.js';

/** Where a handshake's messages go and come from: a socket's frames, or a public Connection. */
export interface HandshakeChannel {
  send(frame: Buffer): void;
  next(): Promise<Buffer>;
}

/** The handshake channel of a socket's frames. */
export function inboxChannel(inbox: FrameInbox): HandshakeChannel {
  return {
    send: (frame) => {
      inbox.fs.send(frame);
    },
    next: () => inbox.next(),
  };
}

const CHALLENGE = Buffer.from('#CHALLENGE#');
const WELCOME = Buffer.from('#WELCOME#');
const FAILURE = Buffer.from('#FAILURE#');
const NONCE_LENGTH = 40;
/** Python's `_MD5ONLY_MESSAGE_LENGTH` and `_MD5_DIGEST_LEN`: legacy peers. */
const LEGACY_LENGTHS = new Set([20, 16]);
/** Python's allowed digests, by their Node names. */
const DIGESTS = new Map([
  ['md5', 'md5'],
  ['sha256', 'sha256'],
  ['sha384', 'sha384'],
  ['sha3_256', 'sha3-256'],
  ['sha3_384', 'sha3-384'],
]);

/** The digest a message names (`{sha256}…`), and its payload; '' for a legacy message. */
function digestOf(message: Buffer): [string, Buffer] {
  if (LEGACY_LENGTHS.has(message.length)) return ['', message];
  if (message[0] === 0x7b /* { */) {
    const end = message.indexOf(0x7d /* } */, 1);
    if (end > 0 && end <= 21) {
      const name = message.subarray(1, end).toString('latin1');
      if (DIGESTS.has(name)) return [name, message.subarray(end + 1)];
    }
  }
  throw new AuthenticationError('unsupported message length, missing digest prefix, or unsupported digest');
}

function hmac(digest: string, key: Uint8Array, message: Buffer): Buffer {
  return createHmac(DIGESTS.get(digest) ?? digest, key)
    .update(message)
    .digest();
}

/** Verifier side: challenges the peer; throws `digest received was wrong` on a bad answer. */
export async function deliverChallenge(channel: HandshakeChannel, authkey: Uint8Array): Promise<void> {
  const message = Buffer.concat([Buffer.from('{sha256}'), randomBytes(NONCE_LENGTH)]);
  channel.send(Buffer.concat([CHALLENGE, message]));
  const response = await channel.next();
  let ok = false;
  try {
    const [name, mac] = digestOf(response);
    const expected = hmac(name === '' ? 'md5' : name, authkey, message);
    ok = expected.length === mac.length && timingSafeEqual(expected, mac);
  } catch {
    ok = false;
  }
  if (!ok) {
    channel.send(FAILURE);
    throw new AuthenticationError('digest received was wrong');
  }
  channel.send(WELCOME);
}

/** Answering side: proves it holds the key; throws `digest sent was rejected` when refused. */
export async function answerChallenge(channel: HandshakeChannel, authkey: Uint8Array): Promise<void> {
  const frame = await channel.next();
  if (!frame.subarray(0, CHALLENGE.length).equals(CHALLENGE)) {
    throw new AuthenticationError('Protocol error, expected challenge');
  }
  const message = frame.subarray(CHALLENGE.length);
  if (message.length < 20) {
    throw new AuthenticationError(`challenge too short: ${String(message.length)} bytes`);
  }
  const [name] = digestOf(message);
  const digest = name === '' ? 'md5' : name;
  const mac = hmac(digest, authkey, message);
  channel.send(name === '' ? mac : Buffer.concat([Buffer.from(`{${digest}}`), mac]));
  const reply = await channel.next();
  if (!reply.equals(WELCOME)) throw new AuthenticationError('digest sent was rejected');
}
