/**
 * When a waiting thread spins before it parks. A message that finds its
 * reader parked costs the reader a futex wake-up (with `Atomics.waitAsync`,
 * an event-loop wake-up too), the largest part of a round trip on a small
 * machine; a reader that polls for a short while takes it at once. Spinning
 * burns a core, so a gate allows it only while it is likely to pay:
 *
 * - the one-minute load average must say a core is free for the partner
 *   (sampled twice a second; the spinning threads themselves count, so more
 *   busy threads than cores closes the gate);
 * - the budget adapts (after glibc's adaptive mutex): a spin that found what
 *   it waited for restores the full budget, a wasted one halves it, and
 *   below the minimum there is none; every PROBE_EVERY-th wait then probes
 *   with the full budget, so a partner that became fast is noticed.
 *
 * The budget's unit is the caller's: loads of a futex word for this
 * package's rings, milliseconds for the manager's channels. A gate's state
 * is per thread: make one per thread and per kind of wait.
 */
import { availableParallelism, loadavg } from 'node:os';

/** With no budget left, every PROBE_EVERY-th spin probes with the full one. */
export const PROBE_EVERY = 16;

/** How often the load average is read, in ms. */
const LOAD_SAMPLE_MS = 500;

/** The machine's cores. */
export const CORES = availableParallelism();

/** The one-minute load average. */
export function loadAverage(): number {
  return loadavg()[0] ?? 0;
}

/** One thread's spin budget for one kind of wait (see the file's header). */
export class SpinGate {
  readonly #cores: number;
  readonly #load: () => number;
  readonly #max: number;
  readonly #min: number;
  #budget: number;
  #probe = 0;
  #loadCheckedAt = -Infinity;
  #loadFree: boolean;

  /**
   * @param max - the full budget.
   * @param min - below this, a halved budget is none.
   * @param cores - the cores of the machine (one core never spins).
   * @param load - the one-minute load average.
   */
  constructor(max: number, min: number, cores: number = CORES, load: () => number = loadAverage) {
    this.#max = max;
    this.#min = min;
    this.#cores = cores;
    this.#load = load;
    this.#budget = cores > 1 ? max : 0;
    this.#loadFree = cores > 1;
  }

  /** The machine's cores, as this gate counts them. */
  get cores(): number {
    return this.#cores;
  }

  /** Whether the load average says a core is free (read at most twice a second). */
  coresFree(): boolean {
    const now = performance.now();
    if (now - this.#loadCheckedAt > LOAD_SAMPLE_MS) {
      this.#loadCheckedAt = now;
      this.#loadFree = this.#cores > 1 && this.#load() < this.#cores + 0.5;
    }
    return this.#loadFree;
  }

  /**
   * The budget of the spin about to start, or 0 when the caller must park
   * now. A non-zero budget must be followed by {@link SpinGate.end}.
   */
  begin(): number {
    if (!this.coresFree()) return 0;
    const budget = this.#budget;
    if (budget !== 0) return budget;
    return ++this.#probe % PROBE_EVERY === 0 ? this.#max : 0;
  }

  /** Ends a spin: `hit` tells whether it found what it waited for. */
  end(hit: boolean): void {
    if (hit) {
      this.#budget = this.#max;
      return;
    }
    this.#budget /= 2;
    if (this.#budget < this.#min) this.#budget = 0;
  }
}
