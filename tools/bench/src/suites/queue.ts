/**
 * queue suite: Queue throughput 1 → 1 (small ints, short strings, 1 KB
 * objects) and 2 → 2 between worker threads, and the Pipe round trip,
 * against Python's multiprocessing.Queue / Pipe (python/queue_bench.py) and
 * a raw MessagePort in the same run. Every figure includes encoding and
 * decoding; every queue is bounded at 1000 items, as the Python one.
 */
import { once } from 'node:events';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { sharedBufferSnapshot, toPostable } from '@multiprocessing/core/internal';
import { Pipe, Queue } from '@multiprocessing/queue';
import { median } from '../harness/measure.js';
import { runPython } from '../harness/python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../harness/types.js';

const fixture = new URL('../../fixtures/queue-bench-worker.mjs', import.meta.url);

type Kind = 'int' | 'str' | 'obj';

/** What a bench worker posts. */
interface Msg {
  readonly ready?: boolean;
  readonly elapsed?: number;
}

interface Started {
  readonly worker: Worker;
  readonly ready: Promise<unknown>;
  readonly done: Promise<number>;
}

function start(role: string, args: Record<string, unknown>, transfer: MessagePort[] = []): Started {
  const p = toPostable(args, 'args');
  const worker = new Worker(fixture, {
    workerData: { role, snapshot: sharedBufferSnapshot(), args: p.value },
    transferList: [...p.transfer, ...transfer],
  });
  const ready = new Promise<void>((resolve) => {
    worker.on('message', (m: Msg) => {
      if (m.ready === true) resolve();
    });
  });
  const done = new Promise<number>((resolve, reject) => {
    worker.on('message', (m: Msg) => {
      if (m.elapsed !== undefined) resolve(m.elapsed);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      reject(new Error(`queue bench worker (${role}) exited with code ${String(code)}`));
    });
  });
  ready.catch(() => undefined);
  done.catch(() => undefined);
  return { worker, ready, done };
}

/** Starts every side, releases them together, returns the consumers' longest run in ms. */
async function race(go: SharedArrayBuffer, sides: Started[], timed: Started[]): Promise<number> {
  try {
    await Promise.all(sides.map((s) => s.ready));
    const flag = new Int32Array(go);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    const times = await Promise.all(timed.map((s) => s.done));
    await Promise.all(sides.map((s) => s.done));
    return Math.max(...times);
  } finally {
    await Promise.all(sides.map((s) => s.worker.terminate()));
  }
}

/** k msgs/s through our Queue, `p` producers → `c` consumers. */
async function queueRate(kind: Kind, n: number, p: number, c: number): Promise<number> {
  const go = new SharedArrayBuffer(4);
  const q = new Queue({ maxsize: 1000 });
  const producers = Array.from({ length: p }, () => start('produce', { q, kind, n: n / p, go }));
  const consumers = Array.from({ length: c }, () => start('consume', { q, n: n / c, go }));
  const ms = await race(go, [...producers, ...consumers], consumers);
  return n / ms;
}

/** k msgs/s through raw MessagePorts (one channel per producer/consumer pair). */
async function portRate(kind: Kind, n: number, pairs: number): Promise<number> {
  const go = new SharedArrayBuffer(4);
  const sides: Started[] = [];
  const consumers: Started[] = [];
  for (let i = 0; i < pairs; i++) {
    const { port1, port2 } = new MessageChannel();
    sides.push(start('port-produce', { port: port1, kind, n: n / pairs, go }, [port1]));
    const c = start('port-consume', { port: port2, n: n / pairs, go }, [port2]);
    sides.push(c);
    consumers.push(c);
  }
  const ms = await race(go, sides, consumers);
  return n / ms;
}

/** µs per Pipe round trip between two workers blocking in recvSync. */
async function pipeRtt(rounds: number): Promise<number> {
  const go = new SharedArrayBuffer(4);
  const warm = 200;
  const [a, b] = Pipe();
  const echo = start('pipe-echo', { conn: b, rounds: rounds + warm, go });
  const ping = start('pipe-ping', { conn: a, rounds, warm, go });
  const ms = await race(go, [echo, ping], [ping]);
  return (ms / rounds) * 1000;
}

/** µs per round trip, main thread awaiting recv() ↔ a worker in recvSync. */
async function pipeRttMain(rounds: number): Promise<number> {
  const go = new SharedArrayBuffer(4);
  const warm = 200;
  const [a, b] = Pipe();
  const echo = start('pipe-echo', { conn: b, rounds: rounds + warm, go });
  try {
    await echo.ready;
    Atomics.store(new Int32Array(go), 0, 1);
    Atomics.notify(new Int32Array(go), 0);
    for (let i = 0; i < warm; i++) {
      a.send(i);
      await a.recv();
    }
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) {
      a.send(i);
      await a.recv();
    }
    return ((performance.now() - t0) / rounds) * 1000;
  } finally {
    await echo.worker.terminate();
  }
}

/** µs per round trip, main thread ↔ a worker over a raw MessagePort. */
async function portRttMain(rounds: number): Promise<number> {
  const go = new SharedArrayBuffer(4);
  const warm = 200;
  const { port1, port2 } = new MessageChannel();
  const echo = start('port-echo', { port: port2, rounds: rounds + warm, go }, [port2]);
  try {
    await echo.ready;
    Atomics.store(new Int32Array(go), 0, 1);
    Atomics.notify(new Int32Array(go), 0);
    let t0 = 0;
    for (let i = 0; i < rounds + warm; i++) {
      if (i === warm) t0 = performance.now();
      port1.postMessage(i);
      await once(port1, 'message');
    }
    return ((performance.now() - t0) / rounds) * 1000;
  } finally {
    port1.close();
    await echo.worker.terminate();
  }
}

async function med(reps: number, fn: () => Promise<number>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < reps; i++) xs.push(await fn());
  return median(xs);
}

export const suite: BenchSuite = {
  id: 'queue',
  title: 'Queue and Pipe',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const reps = 3;
    const n = ctx.quick ? 40_000 : 200_000;
    const rounds = ctx.quick ? 2_000 : 10_000;
    const py = await runPython('queue_bench.py', ctx.quick ? ['--quick'] : []);
    const rows: BenchRow[] = [];
    const kinds: [Kind, string][] = [
      ['int', 'small ints'],
      ['str', 'short strings'],
      ['obj', '1 KB objects'],
    ];
    for (const [kind, label] of kinds) {
      const ours = await med(reps, () => queueRate(kind, n, 1, 1));
      const port = await med(reps, () => portRate(kind, n, 1));
      rows.push({
        figure: `queue: 1 → 1, ${label}, worker → worker`,
        unit: 'k msgs/s',
        higherIsBetter: true,
        ours,
        peers: { 'raw MessagePort': port },
        ...(py === undefined ? {} : { python: (py[`q11_${kind}`] ?? Number.NaN) / 1000 }),
        target: kind === 'int' ? '≥3× Python and ≥400 k msgs/s' : '≥3× Python',
        note: 'includes encode + decode; maxsize 1000 (Python too); MessagePort has no maxsize, no MPMC',
        ...(kind === 'int' && py !== undefined
          ? { met: ours >= 400 && ours >= (3 * (py.q11_int ?? Infinity)) / 1000 }
          : {}),
      });
    }
    const ours22 = await med(reps, () => queueRate('int', n, 2, 2));
    const port22 = await med(reps, () => portRate('int', n, 2));
    rows.push({
      figure: 'queue: 2 → 2, small ints, worker → worker',
      unit: 'k msgs/s',
      higherIsBetter: true,
      ours: ours22,
      peers: { 'raw MessagePort (2 private channels)': port22 },
      ...(py === undefined ? {} : { python: (py.q22_int ?? Number.NaN) / 1000 }),
      target: '≥300 k msgs/s',
      met: ours22 >= 300,
      note: "4 threads on the machine's cores; the MessagePort peer is two 1 → 1 channels, not one shared queue",
    });
    const rtt = await med(reps, () => pipeRtt(rounds));
    rows.push({
      figure: 'pipe: round trip, worker ↔ worker (recvSync)',
      unit: 'µs',
      higherIsBetter: false,
      ours: rtt,
      ...(py === undefined ? {} : { python: py.pipe_rtt_us ?? Number.NaN }),
      target: '≤ Python',
      ...(py === undefined ? {} : { met: rtt <= (py.pipe_rtt_us ?? 0) }),
    });
    const rttMain = await med(reps, () => pipeRttMain(rounds));
    const portMain = await med(reps, () => portRttMain(rounds));
    rows.push({
      figure: 'pipe: round trip, main (await recv) ↔ worker',
      unit: 'µs',
      higherIsBetter: false,
      ours: rttMain,
      peers: { 'raw MessagePort': portMain },
      ...(py === undefined ? {} : { python: py.pipe_rtt_us ?? Number.NaN }),
      note: 'the event-loop side pays for Atomics.waitAsync and a promise per message',
    });
    return rows;
  },
};
