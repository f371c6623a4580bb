/**
 * @multiprocessing/value-lock: Value, SharedArray and the lock family (Lock, RLock, Semaphore, Event, Condition, Barrier) on SharedArrayBuffer and Atomics.
 * Adding a name here is a semver commitment.
 */
export {};
