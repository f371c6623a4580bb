/**
 * Where `move()` leaves the buffers to move with a task's result, for the
 * pool worker to add to the transfer list of the message that carries it.
 *
 * The registry lives on the worker's global object under a registered
 * symbol, not in a module variable: the worker entry and the task module
 * that calls `move()` may load this package from two different copies (a
 * bundled task module, a second install), and both must find the same one.
 * Only a thread pool worker installs it; elsewhere (the main thread, a
 * 'process' worker, whose results are copied) `move()` marks nothing.
 */

/** The moves a pool worker has been asked for and not sent yet. */
export interface MoveRegistry {
  /**
   * Values marked and not taken yet (an upper bound: a marked value that is
   * never returned is not counted down). 0 lets results skip the lookup.
   */
  pending: number;
  /** Each marked value and the buffers to move with it. */
  readonly lists: WeakMap<object, readonly ArrayBuffer[]>;
}

const kKey = Symbol.for('@multiprocessing/pool.moves');

type WithRegistry = typeof globalThis & { [kKey]?: MoveRegistry };

/** The registry of this worker, if it is a thread pool worker. */
export function moveRegistry(): MoveRegistry | undefined {
  return (globalThis as WithRegistry)[kKey];
}

/** Installs (once) and returns the registry: called by the thread pool worker at start-up. */
export function installMoveRegistry(): MoveRegistry {
  const g = globalThis as WithRegistry;
  g[kKey] ??= { pending: 0, lists: new WeakMap() };
  return g[kKey];
}

/** The buffers marked with `value` (forgotten now), or undefined. */
export function takeMoved(registry: MoveRegistry, value: object): readonly ArrayBuffer[] | undefined {
  const list = registry.lists.get(value);
  if (list === undefined) return undefined;
  registry.lists.delete(value);
  registry.pending--;
  return list;
}
