/**
 * The codec's boxes: the encodable forms `prepare()` gives the values
 * msgpackr would otherwise write wrongly (a Map, `-0`, a sparse array, a
 * typed array from another realm), each read back by its extension
 * (codec-packr.ts).
 */
/** Carries a Map's entries, since msgpackr decodes maps as objects. */
export class MapBox {
  constructor(readonly entries: [unknown, unknown][]) {}
}
/** Carries a sparse array as its length and its `[index, value]` entries. */
export class SparseBox {
  constructor(
    readonly length: number,
    readonly entries: unknown[],
  ) {}
}
/** Stands for `-0`, which msgpackr writes as the integer 0. */
export class NegativeZero {}
/** The one {@link NegativeZero} the encoder writes. */
export const negativeZero = new NegativeZero();
/**
 * Carries a typed array made in another realm (a vm context), which
 * msgpackr's own typed-array check (`instanceof` this realm's TypedArray)
 * does not recognise.
 */
export class ForeignTypedArray {
  constructor(
    readonly type: string,
    readonly bytes: Uint8Array,
  ) {}
}
/** The %TypedArray% constructor every typed array class of this realm extends. */
export const TypedArray = (Object.getPrototypeOf(Uint8Array.prototype) as { constructor: unknown })
  .constructor as abstract new (...args: never[]) => unknown;
/** The names of the typed array classes the codec carries, also when made in another realm. */
export const typedArrayTypes = new Set([
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);

/** Names a value the codec refuses, in a PicklingError. */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') {
    return `function ${value.name === '' ? '(anonymous)' : value.name}`;
  }
  return Object.prototype.toString.call(value);
}
