/**
 * The handles of each pipe end held by this thread, so that a thread that
 * ends can tell whether anyone else could still read what it wrote: if every
 * handle of the reading end is one of its own, nobody can.
 */
import { handles, pipeKey } from './pipe-layout.js';
import type { ByteRings } from './byte-ring.js';

/** Unreleased handles of this thread, per pipe and end. */
const here = new Map<string, [number, number]>();

/** A handle of `rings.end` was made in this thread. */
export function countHandle(rings: ByteRings): void {
  const key = pipeKey(rings.ctl);
  const counts = here.get(key);
  if (counts === undefined) here.set(key, rings.end === 0 ? [1, 0] : [0, 1]);
  else counts[rings.end]++;
}

/** A handle of `rings.end` made in this thread was released. */
export function uncountHandle(rings: ByteRings): void {
  const key = pipeKey(rings.ctl);
  const counts = here.get(key);
  if (counts === undefined) return;
  counts[rings.end]--;
  if (counts[0] <= 0 && counts[1] <= 0) here.delete(key);
}

/** True when every open handle of `end` (in flight included) is in this thread. */
export function onlyHere(rings: ByteRings, end: 0 | 1): boolean {
  const mine = here.get(pipeKey(rings.ctl))?.[end] ?? 0;
  return Atomics.load(rings.ctl, handles(end)) <= mine;
}
