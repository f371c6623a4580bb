/**
 * The codec's msgpackr instance, with our extensions (errors, shareables,
 * shared buffers, the boxes of codec-boxes.ts, and the values refused),
 * made on first use.
 */
import type { Packr } from 'msgpackr';
import type * as MsgpackrModule from 'msgpackr';
import { MessagePort } from 'node:worker_threads';
import { PicklingError } from './errors.js';
import { requireFrom } from './internal/require-from.js';
import { deserializeError, serializeError, type SerializedError } from './error-serialization.js';
import { noExporter } from './post-wire.js';
import {
  describeShareable,
  exportForProcess,
  onShareableClass,
  reviveShareable,
  type Shareable,
  type ShareableDescriptor,
} from './shareable.js';
import { exportSharedBuffer, importSharedBuffer } from './sab-registry.js';
import { sparseArray } from './internal/sparse.js';
import {
  describeValue,
  ForeignTypedArray,
  MapBox,
  NegativeZero,
  SparseBox,
  typedArrayTypes,
} from './codec-boxes.js';

const EXT_ERROR = 0x20;
const EXT_SHAREABLE = 0x21;
const EXT_SAB = 0x22;
const EXT_MAP = 0x23;
const EXT_NEGATIVE_ZERO = 0x24;
const EXT_REFUSED = 0x25;
const EXT_FOREIGN_TYPED_ARRAY = 0x26;
const EXT_SPARSE_ARRAY = 0x27;

type Msgpackr = typeof MsgpackrModule;

/**
 * True while an encode for another OS process runs ({@link encodeForProcess}
 * in codec.ts): thread-only shareables then become remote handles, and a
 * bare SharedArrayBuffer is refused.
 */
export const crossing = { on: false };

function describeForWire(value: Shareable): ShareableDescriptor {
  const desc = describeShareable(value);
  if (!crossing.on) return desc;
  const out = exportForProcess(value, desc);
  if (out === undefined) throw new PicklingError(noExporter('value', value));
  return out;
}

/**
 * msgpackr with our extensions, made on first use: a thread that never
 * encodes bytes (most pool and process children) does not load msgpackr.
 */
export function createPackr(): Packr {
  const msgpackr = requireFrom(import.meta.url)('msgpackr') as Msgpackr;
  msgpackr.addExtension({
    Class: Error,
    type: EXT_ERROR,
    write: (err: Error) => serializeError(err),
    read: (data: SerializedError) => deserializeError(data),
  });
  msgpackr.addExtension({
    Class: SharedArrayBuffer,
    type: EXT_SAB,
    write: (sab: SharedArrayBuffer) => {
      if (crossing.on) {
        throw new PicklingError(
          'a SharedArrayBuffer cannot be sent to another process: its memory is shared between the threads of one process only; send a SharedArray or a Value instead',
        );
      }
      return exportSharedBuffer(sab);
    },
    read: (id: string) => importSharedBuffer(id),
  });
  msgpackr.addExtension({
    Class: MapBox,
    type: EXT_MAP,
    write: (box: MapBox) => box.entries,
    read: (entries: [unknown, unknown][]) => new Map(entries),
  });
  msgpackr.addExtension({
    Class: ForeignTypedArray,
    type: EXT_FOREIGN_TYPED_ARRAY,
    write: (box: ForeignTypedArray) => [box.type, box.bytes],
    read: ([type, bytes]: [string, Uint8Array]) => {
      const Ctor = (globalThis as unknown as Record<string, new (b: ArrayBuffer) => ArrayBufferView>)[type];
      if (Ctor === undefined || !typedArrayTypes.has(type))
        throw new TypeError(`unknown typed array ${type}`);
      return new Ctor(bytes.slice().buffer);
    },
  });
  msgpackr.addExtension({
    Class: SparseBox,
    type: EXT_SPARSE_ARRAY,
    write: (box: SparseBox) => [box.length, box.entries],
    read: ([length, entries]: [unknown, unknown[]]) => {
      const arr = sparseArray(length);
      for (let i = 0; i + 1 < entries.length; i += 2) {
        const index = entries[i];
        if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= arr.length) {
          throw new RangeError(`sparse array index ${String(index)} is out of range`);
        }
        arr[index] = entries[i + 1];
      }
      return arr;
    },
  });
  msgpackr.addExtension({
    Class: NegativeZero,
    type: EXT_NEGATIVE_ZERO,
    write: () => 0,
    read: () => -0,
  });
  for (const Refused of [MessagePort, Function] as (new () => unknown)[]) {
    msgpackr.addExtension({
      Class: Refused,
      type: EXT_REFUSED,
      write: (value: unknown) => {
        throw new PicklingError(
          `${describeValue(value)} cannot be encoded as bytes: ${
            typeof value === 'function'
              ? 'functions cannot be sent inside data; pass a moduleRef/taskRef as the task instead'
              : 'a MessagePort can only be posted, not put in a queue or pipe'
          }`,
        );
      },
      read: () => undefined,
    });
  }
  /** Never instantiated: gives the shareable extension its reader before any class registers. */
  class UnregisteredShareable {}
  msgpackr.addExtension({
    Class: UnregisteredShareable,
    type: EXT_SHAREABLE,
    write: () => {
      throw new PicklingError('unreachable');
    },
    read: (desc: ShareableDescriptor) => reviveShareable(desc),
  });
  onShareableClass((cls) => {
    msgpackr.addExtension({
      Class: cls,
      type: EXT_SHAREABLE,
      write: (value: Shareable) => describeForWire(value),
      read: (desc: ShareableDescriptor) => reviveShareable(desc),
    });
  });

  return new msgpackr.Packr({
    useRecords: false,
    moreTypes: true,
    int64AsType: 'bigint',
    copyBuffers: true,
    mapsAsObjects: true,
  });
}
