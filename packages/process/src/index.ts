/**
 * @multiprocessing/process: Process, contexts, start methods and the worker runtime.
 * Adding a name here is a semver commitment.
 */
export {};
