/**
 * `createRequire()` without a static import of `node:module`: the module is
 * taken from `process.getBuiltinModule()` when a `require` is first needed,
 * so a thread that never requires anything (a pool worker with a plain task)
 * does not load `node:module` and the modules it pulls in (decision 0012).
 */

/** A `require` that resolves relative to `url` (a `file:` URL). */
export function requireFrom(url: string): NodeJS.Require {
  return process.getBuiltinModule('node:module').createRequire(url);
}
