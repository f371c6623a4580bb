/**
 * What a Condition needs from its lock (Lock or RLock), under symbols so it
 * stays off the public surface: whether this thread owns it, and how to let
 * go of it completely around a wait and take it back (an RLock saves and
 * restores its recursion count, as Python's `_release_save` /
 * `_acquire_restore` do).
 */
export const kIsOwned: unique symbol = Symbol('value-lock:isOwned');
export const kReleaseAll: unique symbol = Symbol('value-lock:releaseAll');
export const kRestoreSync: unique symbol = Symbol('value-lock:restoreSync');
export const kRestore: unique symbol = Symbol('value-lock:restore');

/** The operations a Condition performs on its lock. */
export interface ConditionLock {
  /** True when `owner` (an owner id, internal/owner.ts) holds the lock. */
  [kIsOwned](owner: number): boolean;
  /** Releases every level `owner` holds; returns what to restore. */
  [kReleaseAll](owner: number): number;
  [kRestoreSync](saved: number, owner: number): void;
  [kRestore](saved: number, owner: number): Promise<void>;
}
