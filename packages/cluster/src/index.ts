/**
 * `@multiprocessing/cluster`: the same `Pool` and `ProcessPoolExecutor`
 * across many machines, on Redis with BullMQ.
 */
export {};
