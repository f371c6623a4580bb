/**
 * The worker runtime, for sibling packages only (`@multiprocessing/process/internal`).
 * Not part of the public API: it may change with the packages that use it.
 */

// consumers: @multiprocessing/pool (pool workers), @multiprocessing/manager
// (the server thread/process). Parent side: start a child running an entry.
export { launch } from './launch.js';
export type { LaunchOptions, Launched } from './launch.js';

// consumers: pool, manager. The start-method type of LaunchOptions and of contexts.
export type { StartMethod } from '../start-method.js';

// consumers: pool (Pool, ProcessPoolExecutor), manager (BaseManager, Manager()).
// The check of their `context` option, and how it shows a bad value.
export { contextStartMethod, describeArgument } from './context-option.js';

// consumers: pool workers and the manager server (inside their entry modules).
// Child side: the data given to launch() and the channel to the parent.
export { getLaunchData, parentChannel } from './parent-channel.js';
export type { ParentChannel } from './parent-channel.js';

// consumers: manager (its server, clients and Connections), and this package's
// brokers of shareables between processes. Length-prefixed frames over a
// stream socket, a queue of received frames, and the authkey handshake.
export { FrameSocket, FrameError, MAX_FRAME, MAX_HANDSHAKE_FRAME } from './socket/frames.js';
export { FrameInbox } from './socket/inbox.js';
export { answerChallenge, deliverChallenge } from './socket/auth.js';
export type { HandshakeChannel } from './socket/auth.js';
export { connectSocket, clientHandshake, serverHandshake } from './socket/connect.js';
export type { SocketAddress } from './socket/connect.js';
