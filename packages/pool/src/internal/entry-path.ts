/**
 * Where the compiled worker entry lives. The ONE module that knows the layout
 * of `dist/entry/`; everything else asks here.
 */
import { join } from 'node:path';

/**
 * Absolute path of the pool worker entry: `dist/entry/pool-worker.bundle.js`,
 * the compiled `entry/pool-worker.js` with the worker-side modules of this
 * package in one file (scripts/bundle-worker.mjs, run by the build).
 */
export function poolWorkerEntry(): string {
  return join(import.meta.dirname, '..', 'entry', 'pool-worker.bundle.js');
}
