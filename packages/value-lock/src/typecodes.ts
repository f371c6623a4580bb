/**
 * Typecodes of `Value` and `SharedArray`, as in Python's `array` module and
 * `multiprocessing.sharedctypes`: the typed-array view each one uses, and
 * how a JavaScript value is written (ctypes semantics: integers wrap,
 * non-integers are refused). The 8-bit to 32-bit and float typecodes take
 * numbers only; the 64-bit ones take bigints and integral numbers.
 */

/**
 * A typecode: `c b B h H i I l L q Q f d`. `l L q Q` are 64-bit (bigint);
 * `c` is a byte (`c_char`), held as a number 0–255, whose arrays also have
 * `value` and `raw` as Python's.
 */
export type Typecode = 'c' | 'b' | 'B' | 'h' | 'H' | 'i' | 'I' | 'l' | 'L' | 'q' | 'Q' | 'f' | 'd';

/** The 64-bit typecodes, whose values are `bigint` (as on Linux CPython). */
export type BigTypecode = 'l' | 'L' | 'q' | 'Q';

/** What reading a value of typecode `T` gives. */
export type ValueOf<T extends Typecode> = T extends BigTypecode ? bigint : number;

/** What may be written to a value of typecode `T` (64-bit ones also take integral numbers). */
export type ValueInput<T extends Typecode> = T extends BigTypecode ? bigint | number : number;

/** A typed array of any typecode. */
export type TypedView =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

type ViewCtor = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => TypedView;

/** How one typecode is stored and written. */
export interface TypecodeInfo {
  readonly typecode: Typecode;
  readonly View: ViewCtor;
  readonly bytes: number;
  readonly kind: 'int' | 'bigint' | 'float';
  /** Bits of an integer typecode (for wrapping a bigint). */
  readonly bits: number;
  /** Python's ctypes name, for repr. */
  readonly ctype: string;
}

const table: Record<Typecode, TypecodeInfo> = {
  c: { typecode: 'c', View: Uint8Array, bytes: 1, kind: 'int', bits: 8, ctype: 'c_char' },
  b: { typecode: 'b', View: Int8Array, bytes: 1, kind: 'int', bits: 8, ctype: 'c_byte' },
  B: { typecode: 'B', View: Uint8Array, bytes: 1, kind: 'int', bits: 8, ctype: 'c_ubyte' },
  h: { typecode: 'h', View: Int16Array, bytes: 2, kind: 'int', bits: 16, ctype: 'c_short' },
  H: { typecode: 'H', View: Uint16Array, bytes: 2, kind: 'int', bits: 16, ctype: 'c_ushort' },
  i: { typecode: 'i', View: Int32Array, bytes: 4, kind: 'int', bits: 32, ctype: 'c_int' },
  I: { typecode: 'I', View: Uint32Array, bytes: 4, kind: 'int', bits: 32, ctype: 'c_uint' },
  l: { typecode: 'l', View: BigInt64Array, bytes: 8, kind: 'bigint', bits: 64, ctype: 'c_long' },
  L: { typecode: 'L', View: BigUint64Array, bytes: 8, kind: 'bigint', bits: 64, ctype: 'c_ulong' },
  q: { typecode: 'q', View: BigInt64Array, bytes: 8, kind: 'bigint', bits: 64, ctype: 'c_longlong' },
  Q: { typecode: 'Q', View: BigUint64Array, bytes: 8, kind: 'bigint', bits: 64, ctype: 'c_ulonglong' },
  f: { typecode: 'f', View: Float32Array, bytes: 4, kind: 'float', bits: 32, ctype: 'c_float' },
  d: { typecode: 'd', View: Float64Array, bytes: 8, kind: 'float', bits: 64, ctype: 'c_double' },
};

/**
 * The storage of `typecode`.
 * @throws {TypeError} `this type has no size` for an unknown typecode, as Python.
 */
export function typecodeInfo(typecode: unknown): TypecodeInfo {
  if (typeof typecode === 'string' && Object.hasOwn(table, typecode)) return table[typecode as Typecode];
  throw new TypeError('this type has no size');
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? 'float' : String(value);
  return typeof value;
}

/**
 * `value` converted for storage under `info`. Integers are stored as they
 * are and the typed array wraps them to the width, as ctypes does (so
 * `2n ** 70n` on `'q'` stores `0n`, as `c_longlong(2**70)` does).
 * @throws {TypeError} for a non-integer on an integer typecode, a bigint on
 *   a typecode that holds numbers, or a non-number on a float typecode.
 */
export function coerce(info: TypecodeInfo, value: unknown): number | bigint {
  switch (info.kind) {
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw new TypeError(`int expected instead of ${typeName(value)}${numbersOnly(info, value)}`);
    case 'bigint':
      if (typeof value === 'bigint') return value;
      if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
      throw new TypeError(`int expected instead of ${typeName(value)}`);
    default:
      if (typeof value === 'number') return value;
      throw new TypeError(`must be real number, not ${typeName(value)}${numbersOnly(info, value)}`);
  }
}

/** The hint for a bigint given to a typecode that holds numbers. */
function numbersOnly(info: TypecodeInfo, value: unknown): string {
  return typeof value === 'bigint'
    ? ` (typecode '${info.typecode}' holds numbers; the 64-bit typecodes l L q Q hold bigints)`
    : '';
}
