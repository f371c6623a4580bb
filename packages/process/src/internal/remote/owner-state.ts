/**
 * The shared objects this thread has handed to other processes, and where
 * its process's broker listens. The main thread fills it as it sends
 * objects; the broker thread fills it as it serves them (and sends the
 * objects its replies hold). A descriptor that comes back to its owner
 * revives as the object itself.
 */

/** This thread's view of its process's broker. */
export interface OwnerState {
  /** The broker's socket path, once started. */
  addr: string | undefined;
  /** Objects sent from this thread, by id. */
  readonly table: Map<number, object>;
  /** The id given to each object sent from this thread. */
  readonly ids: WeakMap<object, number>;
  /** The next id; the main thread's are even, the broker's odd. */
  next: number;
  /** Hands a newly sent object, with its shareable tag, to the broker (set once the broker runs). */
  register: ((id: number, value: object, tag: string) => void) | undefined;
  /** The key the broker checks; undefined outside the broker thread (the process's key is used). */
  authkey: Uint8Array | undefined;
  /** Why the broker could not run, once it failed. */
  failed: Error | undefined;
}

export const owner: OwnerState = {
  addr: undefined,
  table: new Map(),
  ids: new WeakMap(),
  next: 2,
  register: undefined,
  authkey: undefined,
  failed: undefined,
};

/** The object `id` this thread sent, when `addr` is this process's broker. */
export function ownObject(addr: string, id: number): object | undefined {
  return addr === owner.addr ? owner.table.get(id) : undefined;
}
