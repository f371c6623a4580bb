/**
 * The `@multiprocessing/queue/internal` subpath: plumbing shared with
 * sibling packages. Not public API; no semver promise: it changes with the
 * packages that use it.
 */

// consumer: @multiprocessing/manager (the in-process channel's spin before
// it parks). One gate for every spin-then-park of the project.
export { SpinGate, PROBE_EVERY, CORES, loadAverage } from './spin-gate.js';
