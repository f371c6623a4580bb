/**
 * The manager's server process (Python's manager process): runs inside a
 * worker thread or a child process started by `BaseManager.start()`, binds
 * the socket, reports the address, serves until shut down, then ends.
 */
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
  parentChannel.postMessage({ __mpManager: 'ready', address } satisfies ServerMessage);
} catch (err) {
  parentChannel.postMessage({ __mpManager: 'error', error: serializeError(err) } satisfies ServerMessage);
  server.shutdown();
}
await server.serveForever().catch(() => undefined);
// Nothing else should hold this thread or process now; let it end.
parentChannel.unref();
