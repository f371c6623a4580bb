/**
 * The errors the cluster adds to those of `@multiprocessing/core`.
 */
import { ProcessError } from '@multiprocessing/core';

/**
 * Redis could not be reached, or stopped answering for longer than the
 * cluster's `connectionTimeout`: every call still waiting rejects with it,
 * and so does every later call of a pool on that cluster.
 */
export class ClusterConnectionError extends ProcessError {
  static override readonly code: string = 'ERR_MP_CLUSTER_CONNECTION';
}
