/**
 * Where the compiled worker entry lives. The ONE module that knows the layout
 * of `dist/entry/`; everything else asks here.
 */
import { join } from 'node:path';

/** Absolute path of the compiled pool worker entry (`dist/entry/pool-worker.js`). */
export function poolWorkerEntry(): string {
  return join(import.meta.dirname, '..', 'entry', 'pool-worker.js');
}
