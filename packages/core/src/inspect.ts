/**
 * The key of the method Node's `util.inspect` (and so `console.log`) calls
 * for a custom representation; the counterpart of Python's `__repr__`.
 * Defined with `Symbol.for`, so defining it costs nothing at load and needs
 * no `node:util`: Node, Bun and Deno all look up this registered symbol.
 */

/** `[kInspect]()` returns the one-line text `util.inspect` shows for an object. */
export const kInspect: unique symbol = Symbol.for('nodejs.util.inspect.custom');
