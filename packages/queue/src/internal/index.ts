/**
 * The `@multiprocessing/queue/internal` subpath: plumbing shared with
 * sibling packages. Not public API; no semver promise: it changes with the
 * packages that use it.
 */

// consumer: @multiprocessing/manager (the in-process channel's spin before
// it parks). One gate for every spin-then-park of the project.
export { SpinGate, PROBE_EVERY, CORES, loadAverage } from './spin-gate.js';

// consumer: @multiprocessing/manager (its in-process channel is a Pipe). The
// same classes as the public entry's, without loading the queues: a manager
// client in a new thread imports less.
export { Pipe } from '../pipe.js';
export { Connection } from '../connection.js';
