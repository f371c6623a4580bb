/**
 * @multiprocessing/queue: Queue, SimpleQueue, JoinableQueue and Pipe between threads.
 * Adding a name here is a semver commitment.
 */
export {};
