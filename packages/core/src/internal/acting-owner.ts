/**
 * Who a lock operation acts for. A lock records its holder as a number
 * (`threadId + 1` for a thread of this process). The broker that serves a
 * lock to other OS processes runs their calls on its own thread, so it sets
 * the caller's number and name here for the synchronous part of each call;
 * the lock classes read it through {@link actingOwnerId} when a call starts.
 */
import { threadGlobal } from './thread-global.js';

/** The caller a lock operation acts for; id 0 means the calling thread itself. */
interface ActingOwner {
  id: number;
  name: string | undefined;
}

const acting: ActingOwner = threadGlobal('actingOwner', () => ({ id: 0, name: undefined }));

/** The owner id a call that starts now records, or `fallback` (the thread's own) when none is set. */
export function actingOwnerId(fallback: number): number {
  return acting.id === 0 ? fallback : acting.id;
}

/** The holder's name for a repr when a call acts for another process, else undefined. */
export function actingOwnerName(): string | undefined {
  return acting.id === 0 ? undefined : acting.name;
}

/**
 * Runs `fn` (its synchronous part) acting for owner `id` named `name`.
 * Ids of other processes start at 2^30, above any thread id.
 */
export function actAs<R>(id: number, name: string, fn: () => R): R {
  const prevId = acting.id;
  const prevName = acting.name;
  acting.id = id;
  acting.name = name;
  try {
    return fn();
  } finally {
    acting.id = prevId;
    acting.name = prevName;
  }
}
