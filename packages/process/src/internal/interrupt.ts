/**
 * `Process#interrupt()` in the child, as Python 3.14's SIGINT: the child
 * ends with exit code 1 and a `KeyboardInterrupt` on stderr, unless the
 * program has a `'SIGINT'` listener of its own, which then decides (as a
 * Python child's own handler does). Under 'process' the parent sends the
 * signal; a worker thread cannot receive one, so under 'thread' the parent
 * posts a runtime message and the child emits `'SIGINT'` on its `process`.
 * Either way the child hears it when its event loop runs: a child busy in
 * synchronous code, or blocked in a `…Sync` call, hears it afterwards.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { failChild } from './child-ipc.js';
import { isRuntimeMessage, kRuntime } from './protocol.js';

/** The error a child interrupted with no SIGINT listener of its own ends with. */
class KeyboardInterrupt extends Error {
  override name = 'KeyboardInterrupt';
}

function onInterrupt(): void {
  if (process.listenerCount('SIGINT') > 1) return;
  failChild(new KeyboardInterrupt('interrupted by the parent (SIGINT)'));
}

/** Makes this child end on `interrupt()` (call it from the Process entry). */
export function listenForInterrupt(): void {
  process.on('SIGINT', onInterrupt);
  if (isMainThread) return;
  const port = parentPort;
  if (port === null) return;
  port.on('message', (message: unknown) => {
    if (isRuntimeMessage(message) && message[kRuntime] === 'interrupt') process.emit('SIGINT', 'SIGINT');
  });
  // The runtime's listener alone does not keep the child alive.
  port.unref();
}
