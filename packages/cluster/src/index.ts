/**
 * `@multiprocessing/cluster`: the same `Pool` and `ProcessPoolExecutor`
 * across many machines, on Redis with BullMQ. `connectCluster()` gives a
 * context that `new Pool({context})` takes; `serveCluster()` (or the
 * `multiprocessing-worker` command) runs a worker host.
 *
 * @privateRemarks
 * Adding a name here is a semver commitment.
 *
 * @packageDocumentation
 */
export { connectCluster, Cluster } from './cluster.js';
export type { HostInfo } from './cluster.js';
export { serveCluster, ClusterHost } from './serve.js';
export { ClusterConnectionError } from './errors.js';
export type { ConnectClusterOptions, ServeClusterOptions } from './options.js';
