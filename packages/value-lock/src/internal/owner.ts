/**
 * The owner id of the calling thread, as RLock and Lock record it:
 * `threadId + 1`, so 0 can mean "no owner". Shared memory is thread-only
 * (one process), so thread ids are unique among the threads that see it;
 * a process reached through this one's broker gets an id above 2^30.
 */
import { threadId } from 'node:worker_threads';
import { actingOwnerId } from '@multiprocessing/core/internal';

/** This thread's owner id (never 0). */
export const OWNER_ID: number = threadId + 1;

/**
 * The owner id a call that starts now records: this thread's, or the other
 * process's that a broker acts for. Read it once, when a call starts.
 */
export function ownerId(): number {
  return actingOwnerId(OWNER_ID);
}
