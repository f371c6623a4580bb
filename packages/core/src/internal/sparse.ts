/**
 * Sparse arrays on both wires. An array of length 2^31 with two elements
 * must cost two elements, not 2^31: the wires walk such an array by its set
 * indexes, and the byte codec writes it as its length and its entries. Holes
 * come back as holes (reading one gives `undefined`, as the contract says).
 */

/**
 * The set indexes of `arr` when it is sparse (at least half holes), else
 * `undefined` (dense, or holey enough to walk by length: holes are then
 * written as `undefined`). Costs O(set elements), never O(length).
 */
export function sparseIndexes(arr: readonly unknown[]): number[] | undefined {
  const len = arr.length;
  // The first hole comes at or before index <number of elements>.
  let i = 0;
  while (i < len && i in arr) i++;
  if (i === len) return undefined;
  const indexes: number[] = [];
  for (const key of Object.keys(arr)) {
    const index = Number(key);
    // Own keys of an array: its indexes (canonical, below length) and
    // other properties, which no wire carries.
    if (Number.isInteger(index) && index >= 0 && index < len && String(index) === key) {
      indexes.push(index);
    }
  }
  return indexes.length * 2 > len ? undefined : indexes;
}

/** A hole-preserving array of `length` (no element is allocated for a hole). */
export function sparseArray(length: unknown): unknown[] {
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > 2 ** 32 - 1) {
    throw new RangeError(
      `a sparse array's length must be an integer in [0, 2^32 - 1], got ${String(length)}`,
    );
  }
  // Setting the length of an empty array allocates nothing (`new Array(n)`
  // may allocate n slots).
  const arr: unknown[] = [];
  arr.length = length;
  return arr;
}
