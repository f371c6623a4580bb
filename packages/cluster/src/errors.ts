/**
 * The errors the cluster raises besides those of the local pool. They live
 * in `@multiprocessing/core`, so that they keep their class wherever an
 * error is rebuilt from its serialized form.
 */
export { ClusterConnectionError } from '@multiprocessing/core';
