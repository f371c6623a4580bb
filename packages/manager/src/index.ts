/**
 * @multiprocessing/manager: Manager (SyncManager), BaseManager, proxies, Listener and Client with an authkey.
 * Adding a name here is a semver commitment.
 */
export {};
