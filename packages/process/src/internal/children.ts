/**
 * The children this thread started with `Process` and that have not been
 * reaped: the registry behind `activeChildren()` (Python's
 * `process._children`).
 */
import type { Process } from '../process.js';

// Invariant: holds every started Process of this thread until
// activeChildren() finds it no longer alive, or it is closed.
export const children = new Set<Process>();
