/**
 * The owner id of the calling thread, as RLock and Lock record it:
 * `threadId + 1`, so 0 can mean "no owner". Shared memory is thread-only
 * (one process), so thread ids are unique among the threads that see it.
 */
import { threadId } from 'node:worker_threads';

/** This thread's owner id (never 0). */
export const OWNER_ID: number = threadId + 1;
