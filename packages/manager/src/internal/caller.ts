/**
 * Who is calling a referent's method: the client connection. Python's
 * manager serves each connection on its own thread, so a managed RLock's
 * owner is that connection; here it is the same, and a connection that goes
 * away also abandons its waits.
 */

/** The connection a request came in on. */
export interface Caller {
  readonly id: number;
  /** Aborted when the connection closes. */
  readonly signal: AbortSignal;
}

const local: Caller = { id: 0, signal: new AbortController().signal };
let current: Caller = local;

/** The caller of the method now running (read it before the first await). */
export function currentCaller(): Caller {
  return current;
}

/** Runs `fn` with `caller` as the current caller. */
export function withCaller<T>(caller: Caller, fn: () => T): T {
  const prev = current;
  current = caller;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/** Calls `fn` on `thisArg` with `args`, `caller` being the current caller (no closure per call). */
export function callAs(
  caller: Caller,
  fn: (...a: unknown[]) => unknown,
  thisArg: unknown,
  args: unknown[],
): unknown {
  const prev = current;
  current = caller;
  try {
    return Reflect.apply(fn, thisArg, args);
  } finally {
    current = prev;
  }
}
