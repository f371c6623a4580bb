/**
 * When the in-process channel spins instead of parking. A message that
 * finds its reader parked in `Atomics.waitAsync` costs the reader an
 * event-loop wake-up, the largest part of a round trip; a reader that polls
 * its ring for a short window after it sent (the client) or answered (the
 * server) takes the next message at once. The queue package's spin gate
 * (load average, adaptive window, probes) decides whether a spin may start;
 * this file adds what is the manager's own: at most `cores - 1` threads of
 * one host spin at once (a word of the host's shared state counts them), so
 * the thread that has the work to do keeps a core.
 */
import { PROBE_EVERY, SpinGate, CORES, loadAverage } from '@multiprocessing/queue/internal';
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
export { PROBE_EVERY };

/**
 * One thread's spin policy (see the file's header). Its state is per
 * thread; the count of spinners is per host, in the host's shared state.
 */
export class SpinPolicy {
  readonly #gate: SpinGate;

  /**
   * @param cores - the cores of the machine.
   * @param load - the one-minute load average.
   */
  constructor(cores: number, load: () => number) {
    this.#gate = new SpinGate(SPIN_WINDOW_MS, MIN_WINDOW_MS, cores, load);
  }

  /**
   * Starts a spin of this thread on the host whose shared state is `state`:
   * the window in ms, or 0 when this thread must park now. A non-zero result
   * must be followed by {@link SpinPolicy.end}.
   */
  begin(state: Int32Array): number {
    const ms = this.#gate.begin();
    if (ms === 0) return 0;
    if (Atomics.add(state, SPINNERS, 1) >= this.#gate.cores - 1) {
      Atomics.sub(state, SPINNERS, 1);
      return 0;
    }
    return ms;
  }

  /** Ends a spin begun with {@link SpinPolicy.begin}; `hit` tells whether it read something. */
  end(state: Int32Array, hit: boolean): void {
    Atomics.sub(state, SPINNERS, 1);
    this.#gate.end(hit);
  }
}

/** This thread's policy. */
export const spin = new SpinPolicy(CORES, loadAverage);
