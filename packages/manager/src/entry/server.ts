/**
 * The manager's server process (Python's manager process): runs inside a
 * worker thread or a child process started by `BaseManager.start()`, binds
 * the socket, reports the address, serves until shut down, then ends.
 */
import { isMainThread } from 'node:worker_threads';
import { serializeError } from '@multiprocessing/core/internal';
import { getLaunchData, parentChannel } from '@multiprocessing/process/internal';
import { Server } from '../server.js';
import type { ServerLaunchData, ServerMessage } from '../internal/launch-protocol.js';

const data = getLaunchData<ServerLaunchData>();
const server = new Server({
  address: data.address,
  authkey: new Uint8Array(data.authkey),
  registry: data.registry,
});

parentChannel.onMessage((message) => {
  if ((message as { __mpManager?: unknown }).__mpManager === 'shutdown') server.shutdown();
});

try {
  const address = await server.listen();
  // In a worker thread listening on a Unix socket, clients of this process
  // reach the server through shared memory (internal/channel-host.ts); the
  // socket serves the rest, and a TCP server only by socket.
  const channel =
    isMainThread || typeof address !== 'string' ? undefined : await server._inProcessTag(address);
  parentChannel.postMessage({ __mpManager: 'ready', address, channel } satisfies ServerMessage);
} catch (err) {
  parentChannel.postMessage({ __mpManager: 'error', error: serializeError(err) } satisfies ServerMessage);
  server.shutdown();
}
await server.serveForever().catch(() => undefined);
// Nothing else should hold this thread or process now; let it end.
parentChannel.unref();
