/**
 * What travels through Redis, encoded with core's codec (msgpackr):
 * - a bundle, the data of one BullMQ job: the tasks one lane was handed in
 *   one tick, with the specs of their functions;
 * - a result batch, pushed on the caller's results list: results, starts
 *   and progress events of tasks, in the order the host saw them.
 */
import { decode, encode, PicklingError } from '@multiprocessing/core';
import { serializeError, type SerializedError } from '@multiprocessing/core/internal';
import type { WireSpec } from './module-paths.js';

/** Stride of one task in a bundle: `[jobId, fnId, mode, payload]`. */
export const kBundleStride = 4;

/** A bundle's decoded form. */
export interface Bundle {
  /** `[fnId, spec]` for every function its tasks use. */
  readonly specs: [number, WireSpec][];
  /** Flat tasks, {@link kBundleStride} items each. */
  readonly tasks: unknown[];
}

/** The data of one BullMQ job: who sent it and the encoded bundle. */
export interface BundleData {
  /** The caller's client id. */
  readonly c: string;
  /** The lane that sent it. */
  readonly l: number;
  /** The bundle, msgpack in base64 (BullMQ stores job data as JSON). */
  readonly d: string;
}

/** Result entry kinds. */
export const kResultOk = 0;
export const kResultFailed = 1;
export const kResultStart = 2;
export const kResultEvent = 3;

/** Stride of one entry in a result batch: `[laneId, jobId, kind, value]`. */
export const kEntryStride = 4;

/** Encodes a bundle for {@link BundleData.d}. */
export function encodeBundle(bundle: Bundle): string {
  return Buffer.from(encode([bundle.specs, bundle.tasks], 'task arguments')).toString('base64');
}

/** Decodes {@link BundleData.d}. */
export function decodeBundle(data: string): Bundle {
  const [specs, tasks] = decode(Buffer.from(data, 'base64')) as [[number, WireSpec][], unknown[]];
  return { specs, tasks };
}

/**
 * Encodes a result batch from `host`. A value that cannot be encoded fails
 * its task with the PicklingError instead (the rest of the batch goes).
 */
export function encodeResults(host: string, entries: unknown[]): Buffer {
  try {
    return Buffer.from(encode([host, entries], 'result'));
  } catch (err) {
    if (!(err instanceof PicklingError)) throw err;
  }
  const safe = entries.slice();
  for (let i = 0; i < safe.length; i += kEntryStride) {
    try {
      encode(safe[i + 3], 'result');
    } catch (err) {
      safe[i + 2] = kResultFailed;
      safe[i + 3] = serializeError(err);
    }
  }
  return Buffer.from(encode([host, safe], 'result'));
}

/** Decodes a result batch: the host's name and its entries. */
export function decodeResults(bytes: Uint8Array): [host: string, entries: unknown[]] {
  return decode(bytes) as [string, unknown[]];
}

/** The failure entry value for `err` on `host`: its serialized form, with the host's name. */
export function hostError(err: unknown, host: string): SerializedError {
  const error = err instanceof Error ? err : new Error(String(err));
  const out = serializeError(error);
  return { ...out, props: { ...out.props, host } };
}
