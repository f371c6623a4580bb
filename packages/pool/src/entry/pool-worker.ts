/**
 * The pool worker: what runs inside each `PoolWorker-N`. Mirrors
 * `multiprocessing.pool.worker`: run the initializer once, then run tasks one
 * at a time in the order they arrive and send each result back. With
 * `concurrentTasksPerWorker` above 1, tasks still start in the order they
 * arrive, but up to that many async tasks are pending at once, and each
 * result goes back when its task finishes.
 *
 * Tasks arrive in batches (one message per tick of the parent). This file
 * wires the messages; tasks are queued in worker-inbox.ts, run by the loop of
 * worker-drain.ts (claimed in worker-claims.ts, called by worker-run.ts), and
 * their results go back through worker-results.ts.
 */
// First: the bootstrap's work, before any module below reads the launch data.
import '../internal/worker-start.js';
import { serializeError } from '@multiprocessing/core/internal';
import { parentChannel } from '@multiprocessing/process/internal/child';
import { isPoolMessage, kPoolMessage, type ToWorker } from '../internal/protocol.js';
import { initialize } from '../internal/worker-lifecycle.js';
import { useTaskContexts } from '../internal/task-slot.js';
import { flushActiveStream, grantCredit } from '../internal/stream-producer.js';
import { data } from '../internal/worker-env.js';
import { flush, post } from '../internal/worker-results.js';
import { define, enqueue, flow } from '../internal/worker-inbox.js';
import { abortJob, closeStream, drain, stop } from '../internal/worker-drain.js';

/** False until the initializer has run. */
let ready = false;

function onMessage(message: unknown): void {
  if (!isPoolMessage(message)) return;
  const msg = message as ToWorker;
  if (msg[1] === 'run') {
    if (msg[2] !== null) define(msg[2]);
    enqueue(msg[3]);
  } else if (msg[1] === 'stop') {
    stop();
  } else if (msg[1] === 'abort') {
    abortJob(msg[2], msg[3]);
    return;
  } else if (msg[1] === 'credit') {
    grantCredit(msg[2], msg[3]);
    return;
  } else if (msg[1] === 'close-stream') {
    closeStream(msg[2]);
    return;
  }
  if (ready && !flow.waiting) drain();
}

if (data.concurrency > 1) useTaskContexts();

parentChannel.onMessage(onMessage);
// A task that calls process.exit() or crashes the worker: results already
// computed still reach the parent (messages posted before exit are delivered).
process.on('exit', flushActiveStream);
process.on('exit', flush);
process.on('uncaughtExceptionMonitor', flushActiveStream);
process.on('uncaughtExceptionMonitor', flush);

initialize(data).then(
  () => {
    ready = true;
    post([kPoolMessage, 'ready']);
    drain();
  },
  (err: unknown) => {
    post([kPoolMessage, 'init-error', serializeError(err)]);
    // As in Python, a failing initializer ends the worker with its traceback
    // on stderr and exit code 1.
    setImmediate(() => {
      throw err;
    });
  },
);
