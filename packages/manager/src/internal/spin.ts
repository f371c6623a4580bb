/**
 * When the in-process channel spins instead of parking. A message that
 * finds its reader parked in `Atomics.waitAsync` costs the reader an
 * event-loop wake-up, the largest part of a round trip; a reader that polls
 * its ring for a short window after it sent (the client) or answered (the
 * server) takes the next message at once. Spinning burns a core, so it is
 * allowed only while a core is likely free for the partner, and it is
 * bounded in time:
 *
 * - the load average must say the cores are not all taken (sampled twice a
 *   second; the spinning threads themselves count, as in the queue package);
 * - at most `cores - 1` threads of one manager spin at once (a word of the
 *   host's shared state counts them), so the thread that has the work to do
 *   keeps a core;
 * - a window that ends with nothing read halves the next window (after
 *   glibc's adaptive mutex), down to none; every PROBE_EVERY-th wait then
 *   probes with the full window, so a partner that became fast is noticed.
 */
import { availableParallelism, loadavg } from 'node:os';
import { SPINNERS } from './in-process.js';

/**
 * The longest idle spin, in ms. A wake-up from `Atomics.waitAsync` costs
 * 15–30 µs here (more on an idle virtual CPU): spinning up to about that
 * long, and then parking, costs at most twice the better of the two choices
 * (the ski-rental bound).
 */
export const SPIN_WINDOW_MS = 0.03;
/** Below this, a halved window is none. */
export const MIN_WINDOW_MS = 0.004;
/** With no window, every PROBE_EVERY-th spin probes with the full one. */
export const PROBE_EVERY = 16;

/**
 * One thread's spin policy (see the file's header). Its state is per
 * thread; the count of spinners is per host, in the host's shared state.
 */
export class SpinPolicy {
  readonly #cores: number;
  readonly #load: () => number;
  #windowMs: number;
  #probe = 0;
  #loadCheckedAt = -Infinity;
  #loadFree: boolean;

  /**
   * @param cores - the cores of the machine.
   * @param load - the one-minute load average.
   */
  constructor(cores: number, load: () => number) {
    this.#cores = cores;
    this.#load = load;
    this.#windowMs = cores > 1 ? SPIN_WINDOW_MS : 0;
    this.#loadFree = cores > 1;
  }

  #coresFree(): boolean {
    const now = performance.now();
    if (now - this.#loadCheckedAt > 500) {
      this.#loadCheckedAt = now;
      this.#loadFree = this.#cores > 1 && this.#load() < this.#cores + 0.5;
    }
    return this.#loadFree;
  }

  /**
   * Starts a spin of this thread on the host whose shared state is `state`:
   * the window in ms, or 0 when this thread must park now. A non-zero result
   * must be followed by {@link SpinPolicy.end}.
   */
  begin(state: Int32Array): number {
    if (!this.#coresFree()) return 0;
    let ms = this.#windowMs;
    if (ms === 0) {
      if (++this.#probe % PROBE_EVERY !== 0) return 0;
      ms = SPIN_WINDOW_MS;
    }
    if (Atomics.add(state, SPINNERS, 1) >= this.#cores - 1) {
      Atomics.sub(state, SPINNERS, 1);
      return 0;
    }
    return ms;
  }

  /** Ends a spin begun with {@link SpinPolicy.begin}; `hit` tells whether it read something. */
  end(state: Int32Array, hit: boolean): void {
    Atomics.sub(state, SPINNERS, 1);
    if (hit) {
      this.#windowMs = SPIN_WINDOW_MS;
      return;
    }
    this.#windowMs /= 2;
    if (this.#windowMs < MIN_WINDOW_MS) this.#windowMs = 0;
  }
}

/** This thread's policy. */
export const spin = new SpinPolicy(availableParallelism(), () => loadavg()[0] ?? 0);
