/**
 * The typecodes of Python's `array` module (`array.array`), which a
 * manager's `Array` and `dummy.Array` hold: the typed array of each. Unlike
 * the sharedctypes typecodes (typecodes.ts), there is no `c`: Python 3's
 * `array.array('c')` is a bad typecode.
 */

/** A typed array of one `array` typecode. */
export type ArrayModuleArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** The constructor of one `array` typecode's typed array. */
export interface ArrayModuleType {
  new (length: number): ArrayModuleArray;
  from(values: Iterable<never>): ArrayModuleArray;
}

const TYPES: Readonly<Record<string, ArrayModuleType>> = {
  b: Int8Array,
  B: Uint8Array,
  h: Int16Array,
  H: Uint16Array,
  i: Int32Array,
  I: Uint32Array,
  l: BigInt64Array,
  L: BigUint64Array,
  q: BigInt64Array,
  Q: BigUint64Array,
  f: Float32Array,
  d: Float64Array,
};

/**
 * The typed array of `typecode`.
 *
 * @param shown - the typecode as the error shows it (the caller's repr).
 * @throws {RangeError} `bad typecode (must be b, B, h, H, i, I, l, L, q, Q, f or d), got …`, Python's ValueError.
 */
export function arrayModuleType(typecode: unknown, shown: () => string): ArrayModuleType {
  const type = typeof typecode === 'string' && Object.hasOwn(TYPES, typecode) ? TYPES[typecode] : undefined;
  if (type === undefined) {
    throw new RangeError(`bad typecode (must be b, B, h, H, i, I, l, L, q, Q, f or d), got ${shown()}`);
  }
  return type;
}
