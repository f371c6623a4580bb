/**
 * `deliverChallenge` and `answerChallenge`: the handshake that `Listener`,
 * `Client` and managers run, for a connection of your own. Mirrors
 * `multiprocessing.connection.deliver_challenge` / `answer_challenge`
 * (Python 3.12's HMAC-SHA256 form): the key itself is never sent.
 */

import {
  answerChallenge as answer,
  deliverChallenge as deliver,
  type HandshakeChannel,
} from '@multiprocessing/process/internal';
import { toAuthKey, type AuthKey } from './address.js';

/** What the handshake needs of a connection: a `Pipe()` end or a socket `Connection`. */
export interface ChallengeConnection {
  /** Sends one message. */
  sendBytes(buf: Uint8Array): void;
  /** The next message, at most `maxlength` bytes. */
  recvBytes(maxlength?: number): Promise<Uint8Array>;
}

/** Python reads a handshake message with `recv_bytes(256)`. */
const MAX_MESSAGE = 256;

function channelOf(connection: unknown): HandshakeChannel {
  const c = connection as Partial<ChallengeConnection> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.sendBytes !== 'function' ||
    typeof c.recvBytes !== 'function'
  ) {
    throw new TypeError(
      `connection must be a Connection (with sendBytes and recvBytes), got ${c === null ? 'null' : typeof c}`,
    );
  }
  const conn = c as ChallengeConnection;
  return {
    send: (frame) => {
      conn.sendBytes(frame);
    },
    next: async () => Buffer.from(await conn.recvBytes(MAX_MESSAGE)),
  };
}

/**
 * Challenges the other end of `connection` to prove it holds `authkey`:
 * sends a random nonce, checks the HMAC that comes back, and answers
 * `#WELCOME#` or `#FAILURE#`. The other end calls {@link answerChallenge}.
 *
 * @throws {AuthenticationError} `digest received was wrong` when it does not hold the key.
 * @throws {TypeError} when `connection` has no `sendBytes`/`recvBytes`, or `authkey` is not bytes or a string.
 * @throws {RangeError} for an empty `authkey`.
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.connection.deliver_challenge
 */
export async function deliverChallenge(connection: ChallengeConnection, authkey: AuthKey): Promise<void> {
  const channel = channelOf(connection);
  await deliver(channel, toAuthKey(authkey));
}

/**
 * Answers the challenge {@link deliverChallenge} sends from the other end of
 * `connection`, proving that this side holds `authkey`.
 *
 * @throws {AuthenticationError} `digest sent was rejected` when the other end holds another key.
 * @throws {TypeError} / {RangeError} as {@link deliverChallenge}.
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.connection.answer_challenge
 */
export async function answerChallenge(connection: ChallengeConnection, authkey: AuthKey): Promise<void> {
  const channel = channelOf(connection);
  await answer(channel, toAuthKey(authkey));
}
