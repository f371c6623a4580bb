/**
 * Process suite: start + join latency of a no-op `Process`, under both start
 * methods, against a raw `new Worker(file)` to its 'exit' and a raw
 * `child_process.fork(file)` to its 'exit' (same no-op module), and Python's
 * `Process` under fork and spawn. Samples of every contender are interleaved
 * so load on the machine hits them alike; each figure is a median.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { getContext, moduleRef } from '@multiprocessing/process';
import { median } from '../harness/measure.js';
import { runPython } from '../harness/python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../harness/types.js';

const fixture = new URL('../../fixtures/process-noop.mjs', import.meta.url);
const tasks = moduleRef<{ noop: () => void }>(fixture);

type Contender = () => Promise<void>;

async function timed(fn: Contender): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const contenders: Record<string, Contender> = {
  rawWorker: async () => {
    const worker = new Worker(fixture);
    await new Promise((resolve) => worker.once('exit', resolve));
  },
  thread: async () => {
    const p = new (getContext('thread').Process)({ target: tasks.noop });
    p.start();
    await p.join();
  },
  threadSource: async () => {
    const p = new (getContext('thread').Process)({ target: () => undefined });
    p.start();
    await p.join();
  },
  // The floor: the same file forked to 'exit', with the stdio ours uses.
  rawFork: async () => {
    const child = fork(fixture, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise((resolve) => child.once('exit', resolve));
  },
  process: async () => {
    const p = new (getContext('process').Process)({ target: tasks.noop });
    p.start();
    await p.join();
  },
};

async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const rounds = ctx.quick ? 5 : 25;
  const samples = new Map<string, number[]>(Object.keys(contenders).map((k) => [k, []]));
  for (const fn of Object.values(contenders)) await fn(); // warm-up: module loading
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(contenders)) {
      // Forks cost ~4× a thread; sample them every other round.
      if ((name === 'rawFork' || name === 'process') && r % 2 === 1 && !ctx.quick) continue;
      samples.get(name)?.push(await timed(fn));
    }
  }
  const m = (name: string): number => median(samples.get(name) ?? []);
  const py = await runPython('process_start.py', ctx.quick ? ['--quick'] : []);
  const rawWorker = m('rawWorker');
  const rawFork = m('rawFork');
  return [
    {
      figure: "process: start + join, no-op module target ['thread']",
      unit: 'ms',
      higherIsBetter: false,
      ours: m('thread'),
      peers: { 'raw Worker': rawWorker },
      python: py?.fork_ms,
      target: '≤ raw worker + 5 ms',
      met: m('thread') <= rawWorker + 5,
      note: "Python column: fork (Linux default ≤3.13); a raw Worker runs the same file to 'exit'",
    },
    {
      figure: "process: start + join, self-contained function target ['thread']",
      unit: 'ms',
      higherIsBetter: false,
      ours: m('threadSource'),
      peers: { 'raw Worker': rawWorker },
      python: py?.fork_ms,
      target: '≤ raw worker + 5 ms',
      met: m('threadSource') <= rawWorker + 5,
      note: 'the function travels as source and is compiled in the child',
    },
    {
      figure: "process: start + join, no-op module target ['process']",
      unit: 'ms',
      higherIsBetter: false,
      ours: m('process'),
      peers: { 'raw fork': rawFork },
      python: py?.spawn_ms,
      target: '≤ raw fork + 5 ms',
      met: m('process') <= rawFork + 5,
      note: "Python column: spawn (a fresh interpreter, like a fork of node); ours adds the bootstrap's modules and the init message, and on Linux runs node through setpriv for the parent-death signal (elsewhere a watchdog thread)",
    },
  ];
}

export const suite: BenchSuite = {
  id: 'process',
  title: 'Process start + join',
  run,
};
