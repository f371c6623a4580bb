/**
 * Tasks gathered for bundles: those of one tick, or those a lane holds
 * while enough of its bundles are out (so that, under load, one bundle
 * carries many tasks).
 */
import { kTaskStride } from '@multiprocessing/pool/internal';
import type { WireSpec } from './module-paths.js';
import type { Bundle } from './wire.js';

/** The tasks of one tick, to be cut into bundles. */
export class Bundles {
  readonly #tasks: unknown[] = [];
  /** The spec of each task, in order. */
  readonly #specs: WireSpec[] = [];

  get size(): number {
    return this.#tasks.length / kTaskStride;
  }

  add(spec: WireSpec, jobId: number, fnId: number, mode: number, payload: unknown): void {
    this.#tasks.push(jobId, fnId, mode, payload);
    this.#specs.push(spec);
  }

  /** Drops task `jobId`, if it is here. */
  remove(jobId: number): void {
    for (let k = 0; k < this.#specs.length; k++) {
      if (this.#tasks[k * kTaskStride] !== jobId) continue;
      this.#tasks.splice(k * kTaskStride, kTaskStride);
      this.#specs.splice(k, 1);
      return;
    }
  }

  /** Takes every task out, as at most `parts` bundles (see {@link Bundles.split}). */
  take(parts: number): Bundle[] {
    const out = this.split(parts);
    this.#tasks.length = 0;
    this.#specs.length = 0;
    return out;
  }

  /** The tasks cut into at most `parts` bundles of about equal size (`Infinity`: one per task). */
  split(parts: number): Bundle[] {
    const n = this.size;
    if (n === 0) return [];
    const per = Math.ceil(n / Math.max(1, Math.min(n, parts)));
    const out: Bundle[] = [];
    for (let first = 0; first < n; first += per) {
      const tasks = this.#tasks.slice(first * kTaskStride, Math.min(n, first + per) * kTaskStride);
      const specs = new Map<number, WireSpec>();
      for (let k = first; k < Math.min(n, first + per); k++) {
        const spec = this.#specs[k];
        if (spec !== undefined) specs.set(this.#tasks[k * kTaskStride + 1] as number, spec);
      }
      out.push({ specs: [...specs], tasks });
    }
    return out;
  }
}
