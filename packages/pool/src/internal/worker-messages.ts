/**
 * What the scheduler does with each message a worker sends: results,
 * events, stream items, the start of a timed task, readiness, an
 * initializer's error, a request to be recycled, and the finalizer's
 * progress. Mirrors the result handler thread of `multiprocessing.pool.Pool`.
 */
import { deserializeError } from '@multiprocessing/core/internal';
import type { FinalizerWatch } from './finalizer-watch.js';
import type { Job } from './job.js';
import { isPoolMessage, type FromWorker } from './protocol.js';
import { receiveItems } from './stream-call.js';
import { deliverEvents } from './task-talk.js';
import type { WorkerSlot } from './worker-slot.js';

/** The scheduler's side of the messages: what follows once a message has been applied to its worker. */
export interface MessageHandlers {
  /** A batch of results came in (already recorded on the worker). */
  done(w: WorkerSlot): void;
  /** The worker can run tasks from now on. */
  ready(): void;
  /** The worker's heap passed maxMemoryPerChild. */
  recycle(w: WorkerSlot): void;
  /** Fails a dispatched job whose timeout ran out. */
  readonly abortOne: (job: Job, error: Error) => void;
  /** Times the workers' finalizers; undefined without a finalizer. */
  readonly finalizers: FinalizerWatch | undefined;
}

/** Applies a message from `w` (those of a dead worker and foreign ones are dropped). */
export function routeWorkerMessage(w: WorkerSlot, message: unknown, handlers: MessageHandlers): void {
  if (w.dead || !isPoolMessage(message)) return;
  const msg = message as FromWorker;
  switch (msg[1]) {
    case 'done':
      w.receive(msg[2], performance.now());
      handlers.done(w);
      break;
    case 'event':
      deliverEvents(w, msg[2]);
      break;
    case 'items':
      receiveItems(w, msg);
      break;
    case 'start':
      // A task with a timeout started: its clock runs from now.
      w.startClock(msg[2], msg[3], handlers.abortOne);
      break;
    case 'ready':
      w.ready = true;
      // The stall clock (or, idle, the idle clock) starts when it can run tasks, not when it was sent them.
      w.lastDoneAt = performance.now();
      handlers.ready();
      break;
    case 'init-error':
      w.initError = deserializeError(msg[2]);
      break;
    case 'recycle':
      handlers.recycle(w);
      break;
    case 'finalizing':
      handlers.finalizers?.started(w);
      break;
    case 'finalizer-error':
      handlers.finalizers?.failed(w, msg[2]);
      break;
  }
}
