/**
 * Opening a stream socket to an address, and the handshakes both
 * ends run on a new connection.
 */
import { connect, type Socket } from 'node:net';
import { startTimer } from '@multiprocessing/core/internal';
import { answerChallenge, deliverChallenge, inboxChannel } from './auth.js';
import { FrameSocket, MAX_FRAME, MAX_HANDSHAKE_FRAME } from './frames.js';
import { FrameInbox } from './inbox.js';

/** A Unix socket path, or a TCP host and port. */
export type SocketAddress = string | { readonly host: string; readonly port: number };

/** Connects to `address`; rejects with the system error (ECONNREFUSED, ENOENT …). */
export function connectSocket(address: SocketAddress): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket =
      typeof address === 'string'
        ? connect({ path: address })
        : connect({ host: address.host, port: address.port });
    const onError = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/** Frames received before the handshake ends: a challenge, a verdict, an answer. */
const HANDSHAKE_FRAMES = 3;

/**
 * Client side of a new connection: answers the server's challenge, then
 * challenges it (Python's `Client()`). Without a key, no handshake.
 */
export async function clientHandshake(socket: Socket, authkey: Uint8Array | undefined): Promise<FrameInbox> {
  const fs = new FrameSocket(socket, authkey === undefined ? MAX_FRAME : MAX_HANDSHAKE_FRAME);
  const inbox = new FrameInbox(fs, authkey === undefined ? 0 : HANDSHAKE_FRAMES);
  if (authkey === undefined) return inbox;
  try {
    await answerChallenge(inboxChannel(inbox), authkey);
    await deliverChallenge(inboxChannel(inbox), authkey);
  } catch (err) {
    fs.close(undefined, true);
    throw err;
  }
  return inbox;
}

/**
 * Server side of a new connection: challenges the client, then answers its
 * challenge (Python's `Listener.accept()`), within `timeoutMs` (undefined: no limit).
 */
export async function serverHandshake(
  socket: Socket,
  authkey: Uint8Array | undefined,
  timeoutMs: number | undefined,
): Promise<FrameInbox> {
  const fs = new FrameSocket(socket, authkey === undefined ? MAX_FRAME : MAX_HANDSHAKE_FRAME);
  const inbox = new FrameInbox(fs, authkey === undefined ? 0 : HANDSHAKE_FRAMES);
  if (authkey === undefined) return inbox;
  // A peer that connects and says nothing must not hold the socket for ever.
  const timer = startTimer(
    timeoutMs,
    () => {
      fs.close(new Error('authentication timed out'));
    },
    { unref: true },
  );
  try {
    await deliverChallenge(inboxChannel(inbox), authkey);
    await answerChallenge(inboxChannel(inbox), authkey);
  } catch (err) {
    fs.close(undefined, true);
    throw err;
  } finally {
    timer.clear();
  }
  return inbox;
}
