/**
 * Rebuilding the lock inside another primitive's descriptor (a Condition's
 * lock, a Value's lock). A descriptor's data must be plain data, so the inner
 * lock travels as its own `{tag, data}` and is revived here by tag.
 */
import { kShareable } from '@multiprocessing/core';
import { Lock } from '../lock.js';
import { RLock } from '../rlock.js';
import type { SlotRef } from './arena.js';

/** A lock as plain data. */
export interface LockState {
  readonly tag: string;
  readonly data: SlotRef;
}

/** The plain-data form of `lock`. */
export function lockState(lock: Lock | RLock): LockState {
  const state = lock[kShareable]();
  return { tag: state.tag, data: state.data as SlotRef };
}

/** The live lock that {@link lockState} described. */
export function reviveLock(state: LockState): Lock | RLock {
  if (state.tag === 'value-lock:Lock') return Lock.fromShared(state.data);
  if (state.tag === 'value-lock:RLock') return RLock.fromShared(state.data);
  throw new TypeError(`invalid shared lock descriptor (tag ${state.tag})`);
}

/** True for a Lock or an RLock of this package. */
export function isLock(value: unknown): value is Lock | RLock {
  return value instanceof Lock || value instanceof RLock;
}
