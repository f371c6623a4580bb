/**
 * State that every copy of this package loaded in one thread shares. A
 * thread can hold two copies of `@multiprocessing/core`: a loader such as
 * tsx may load a package once through `import` and again through
 * `require()`, and a bundle may inline one copy beside the one in
 * node_modules. Registries kept in module scope would then split, and a
 * shareable registered by one copy would be unknown to the other. State that
 * must be one per thread lives on `globalThis` under a `Symbol.for` key
 * instead, which every copy (and every realm of the thread) resolves to the
 * same slot.
 */
const version = 1;

/** The thread's one instance of the state `name`, made by `create` on first use. */
export function threadGlobal<T>(name: string, create: () => T): T {
  const key = Symbol.for(`@multiprocessing/core:${name}@${String(version)}`);
  const slots = globalThis as unknown as Record<symbol, T | undefined>;
  let state = slots[key];
  if (state === undefined) {
    state = create();
    Object.defineProperty(globalThis, key, { value: state, enumerable: false });
  }
  return state;
}
