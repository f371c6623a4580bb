/**
 * One process per cell. Every phase, each cell adds the cell `2^phase` places to its left:
 * after log2(n) phases every cell holds the running total up to it. Then each process saves
 * its result through a resource that at most two may use at once.
 */
import type { Barrier, Semaphore, SharedArray, Value } from '@multiprocessing/value-lock';

export interface World {
  /** One cell per process. */
  readonly cells: SharedArray<'i'>;
  /** The cells after each phase, one row of `cells.length` per phase. */
  readonly history: SharedArray<'i'>;
  /** `Barrier(number of processes)`: the lockstep. */
  readonly step: Barrier;
  /** `Semaphore(2)`: the bounded resource. */
  readonly disk: Semaphore;
  /** How many processes hold the resource now, and the most there ever were. */
  readonly inside: Value<'i'>;
  readonly most: Value<'i'>;
  /** `Barrier(2)`: keeps each holder inside until a second one is there. */
  readonly pair: Barrier;
}

export function cell(world: World, i: number, phases: number): void {
  const { cells, history, step } = world;
  let value = cells[i] ?? 0;
  for (let phase = 0; phase < phases; phase++) {
    const distance = 2 ** phase;
    const left = i >= distance ? (cells[i - distance] ?? 0) : 0;
    step.waitSync(); // every cell has read this phase's values before any cell changes
    value += left;
    cells[i] = value;
    history[phase * cells.length + i] = value;
    step.waitSync(); // every cell has written before the next phase reads
  }
  save(world);
}

function save({ disk, inside, most, pair }: World): void {
  using _ = disk.holdSync(); // waits while two others hold it
  const now = inside.withLockSync(() => ++inside.value);
  most.withLockSync(() => {
    if (now > most.value) most.value = now;
  });
  // Stands in for the write, which takes a while: wait here, holding the resource, until a
  // second holder arrives. Only holders get here, so they pair up (an even number of cells).
  pair.waitSync();
  inside.withLockSync(() => --inside.value);
}
