/**
 * Codec suite: encode + decode round trips of typical task payloads through
 * our byte codec (`encode`/`decode` of @multiprocessing/core, msgpackr with
 * its extensions) against plain msgpackr, structuredClone, JSON and
 * v8.serialize, with Python's pickle on the same payloads. One more row
 * compares the postMessage wire with posting msgpackr bytes instead.
 */
import { decode, encode } from '@multiprocessing/core';
import { toPostable } from '@multiprocessing/core/internal';
import { Packr } from 'msgpackr';
import { deserialize, serialize } from 'node:v8';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { measureEach, type MeasureOptions } from '../harness/measure.js';
import { runPython } from '../harness/python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../harness/types.js';

/** The same object as `obj_1k()` in python/codec.py: about 1 KB as JSON. */
const OBJECT_1K = {
  id: 123456,
  name: 'Ada Lovelace',
  email: 'ada@example.org',
  active: true,
  score: 98.25,
  tags: ['math', 'engines', 'poetry', 'notes', 'analysis'],
  address: { street: "12 St James's Square", city: 'London', zip: 'SW1Y 4JH', country: 'UK' },
  history: Array.from({ length: 10 }, (_, i) => ({
    year: 1833 + i,
    event: `event number ${String(i)} in a long life`,
    weight: i * 1.5,
  })),
  matrix: Array.from({ length: 4 }, (_, r) => Array.from({ length: 4 }, (_, c) => r * 4 + c)),
  notes: 'x'.repeat(120),
};

function records(n: number): object[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i,
    name: `user-${String(i)}`,
    score: i * 0.5 + 0.25,
    active: i % 3 === 0,
    tags: ['a', 'b'],
  }));
}

function float64(n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = i * 0.5;
  return a;
}

/** Everything structured clone carries beyond plain data (the codec's slow path). */
function rich(): object {
  return {
    when: new Date(Date.UTC(2026, 10, 1)),
    seen: new Set([1, 2, 3]),
    index: new Map([
      ['a', 1],
      ['b', 2],
    ]),
    big: 12345678901234567890n,
    err: new RangeError('bad value'),
    negZero: -0,
    pattern: /ab+c/i,
    bytes: new Uint8Array(16),
  };
}

interface Payload {
  /** Key of the Python script's output. */
  readonly id: string;
  readonly figure: string;
  readonly value: unknown;
  /** k round trips/s (divide by 1000) or round trips/s. */
  readonly kilo: boolean;
  /** False when plain msgpackr and JSON cannot carry the value. */
  readonly plain: boolean;
  /** JSON needs the typed array turned into an array and back. */
  readonly typed?: boolean;
  /** The row's target, in the report's target syntax. */
  readonly target?: string;
}

const plainPackr = new Packr({ useRecords: false });

function candidates(p: Payload): Record<string, () => unknown> {
  const v = p.value;
  const out: Record<string, () => unknown> = { ours: () => decode(encode(v)) };
  if (p.plain) out.msgpackr = () => plainPackr.unpack(plainPackr.pack(v));
  out.structuredClone = () => structuredClone(v);
  if (p.plain) {
    out.JSON =
      p.typed === true
        ? () => new Float64Array(JSON.parse(JSON.stringify(Array.from(v as Float64Array))) as number[])
        : () => JSON.parse(JSON.stringify(v)) as unknown;
  }
  out['v8.serialize'] = () => deserialize(serialize(v));
  return out;
}

function sizes(p: Payload): string {
  const parts = [`ours ${String(encode(p.value).length)} B`];
  if (p.plain) {
    const json =
      p.typed === true ? JSON.stringify(Array.from(p.value as Float64Array)) : JSON.stringify(p.value);
    parts.push(`JSON ${String(Buffer.byteLength(json))} B`);
  }
  parts.push(`v8 ${String(serialize(p.value).length)} B`);
  return parts.join(', ');
}

type Wire = 'ours' | 'structuredClone' | 'msgpackr';

/**
 * Messages per second posted one way to a worker that decodes them
 * (fixtures/codec-wire.mjs), `batch` per timed call, in three wire formats:
 * ours (toPostable, structured clone, fromPostable unless plain), the bare
 * structured clone, and msgpackr bytes.
 */
async function postWire(
  value: unknown,
  batch: number,
  options: MeasureOptions,
): Promise<Record<Wire, number>> {
  const worker = new Worker(new URL('../../fixtures/codec-wire.mjs', import.meta.url));
  await once(worker, 'online');
  const send: Record<Wire, () => void> = {
    ours: () => {
      const p = toPostable(value, 'value');
      worker.postMessage([p.plain ? 1 : 0, p.value], p.transfer);
    },
    structuredClone: () => {
      worker.postMessage(value);
    },
    // Copy out of msgpackr's shared arena before posting: posting the view
    // itself would clone the whole arena.
    msgpackr: () => {
      worker.postMessage(new Uint8Array(plainPackr.pack(value)));
    },
  };
  const run = (which: Wire) => async (): Promise<void> => {
    const done = once(worker, 'message');
    worker.postMessage({ ctl: which, n: batch });
    const post = send[which];
    for (let i = 0; i < batch; i++) post();
    await done;
  };
  try {
    return await measureEach(
      { ours: run('ours'), structuredClone: run('structuredClone'), msgpackr: run('msgpackr') },
      { ...options, opsPerCall: batch },
    );
  } finally {
    await worker.terminate();
  }
}

async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const options: MeasureOptions = ctx.quick ? { time: 50, repetitions: 3 } : { time: 200, repetitions: 5 };
  const python = await runPython('codec.py', ctx.quick ? ['--quick'] : []);
  const payloads: Payload[] = [
    { id: 'small', figure: 'codec: small ints [3, 17, 42]', value: [3, 17, 42], kilo: true, plain: true },
    { id: 'obj1k', figure: 'codec: 1 KB object', value: OBJECT_1K, kilo: true, plain: true },
    {
      id: 'records10k',
      figure: 'codec: array of 10 k records',
      value: records(10_000),
      kilo: false,
      plain: true,
    },
    {
      id: 'f64_8mb',
      figure: 'codec: 8 MB Float64Array',
      value: float64(1 << 20),
      kilo: false,
      plain: true,
      typed: true,
    },
    {
      id: 'rich',
      figure: 'codec: Map, Set, Date, RegExp, Error, bigint, -0, bytes',
      value: rich(),
      kilo: true,
      plain: false,
      target: '≥ Python and ≥0.5× v8.serialize',
    },
  ];
  const rows: BenchRow[] = [];
  for (const p of payloads) {
    const scale = p.kilo ? 1000 : 1;
    const r = await measureEach(candidates(p), options);
    const peers: Record<string, number> = {};
    for (const [name, value] of Object.entries(r)) if (name !== 'ours') peers[name] = value / scale;
    const py = python?.[p.id];
    const pyBytes = python?.[`bytes_${p.id}`];
    rows.push({
      figure: p.figure,
      unit: p.kilo ? 'k round trips/s' : 'round trips/s',
      higherIsBetter: true,
      ours: (r.ours ?? Number.NaN) / scale,
      peers,
      ...(py === undefined ? {} : { python: py / scale }),
      ...(p.target === undefined ? {} : { target: p.target }),
      note:
        `encode+decode; ${sizes(p)}${pyBytes === undefined ? '' : `, pickle ${String(pyBytes)} B`}` +
        (p.typed === true ? '; JSON via Array.from' : '') +
        (p.plain ? '' : '; plain msgpackr and JSON cannot carry these types'),
    });
  }
  const wirePayloads: [string, unknown][] = [
    ['a task message {id, args: [3]}', { id: 7, args: [3] }],
    ['1 KB object', OBJECT_1K],
  ];
  for (const [label, value] of wirePayloads) {
    const wire = await postWire(value, ctx.quick ? 2000 : 10_000, options);
    rows.push({
      figure: `codec: postMessage ${label}, one way`,
      unit: 'k msgs/s',
      higherIsBetter: true,
      ours: wire.ours / 1000,
      peers: { structuredClone: wire.structuredClone / 1000, msgpackr: wire.msgpackr / 1000 },
      note: 'to a worker that decodes; ours = toPostable + post + fromPostable unless plain, structuredClone = bare post, msgpackr = post packed bytes + unpack',
    });
  }
  return rows;
}

export const suite: BenchSuite = {
  id: 'codec',
  title: 'byte codec round trips (msgpackr with extensions) vs structuredClone, JSON, v8 and pickle',
  run,
};
