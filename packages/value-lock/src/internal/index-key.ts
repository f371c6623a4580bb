/**
 * Index access through a Proxy: the integer a property key names, for the
 * arrays whose `obj[i]` reads shared memory (`RawArray`, `ShareableList`).
 */

/** The index `prop` names (`'3'`, `'-1'`), or undefined when it is not an integer key. */
export function toIndex(prop: string | symbol): number | undefined {
  if (typeof prop !== 'string') return undefined;
  const c = prop.charCodeAt(0);
  if ((c < 48 || c > 57) && c !== 45) return undefined;
  const n = Number(prop);
  return Number.isInteger(n) && String(n) === prop ? n : undefined;
}
