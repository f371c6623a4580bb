/**
 * @multiprocessing/pool: Pool, AsyncResult, ProcessPoolExecutor and Future.
 * Adding a name here is a semver commitment.
 */
export {};
