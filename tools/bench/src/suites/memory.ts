/**
 * Memory suite: the RSS an idle pool worker adds (ours, piscina, a raw
 * `Worker`), and the peak RSS of the whole process tree while `pool.map`
 * runs over 1 M tiny items (ours, Python's `Pool.map`). Every figure is
 * measured in a fresh process (fixtures/memory-child.mjs,
 * python/memory_bench.py), the candidates interleaved; medians.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from '../harness/measure.js';
import { runPython } from '../harness/python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../harness/types.js';

const child = fileURLToPath(new URL('../../fixtures/memory-child.mjs', import.meta.url));
const IDLE_WORKERS = 4;

/** Runs memory-child.mjs with `args` and returns the JSON object it prints. */
function measure(args: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [child, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`memory-child ${args.join(' ')} failed: ${stderr || error.message}`));
        return;
      }
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>);
    });
  });
}

/** MB of RSS per idle worker, by candidate: each a median of fresh processes. */
async function idleWorkers(quick: boolean): Promise<Record<'ours' | 'piscina' | 'raw', number>> {
  const kinds = ['ours', 'piscina', 'raw'] as const;
  const samples = { ours: [] as number[], piscina: [] as number[], raw: [] as number[] };
  for (let r = 0; r < (quick ? 2 : 5); r++) {
    for (const kind of kinds) {
      const out = await measure(['idle', kind, String(IDLE_WORKERS)]);
      samples[kind].push(out.perWorkerMB ?? Number.NaN);
    }
  }
  return { ours: median(samples.ours), piscina: median(samples.piscina), raw: median(samples.raw) };
}

/** Peak MB of the process tree while mapping `items` tiny items: ours and Python's. */
async function mapPeak(items: number, quick: boolean): Promise<{ ours: number; python?: number }> {
  const ours: number[] = [];
  const python: number[] = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) {
    ours.push((await measure(['map', String(items)])).peakMB ?? Number.NaN);
    const py = await runPython('memory_bench.py', [String(items)]);
    if (py?.peak_mb !== undefined) python.push(py.peak_mb);
  }
  return { ours: median(ours), ...(python.length > 0 ? { python: median(python) } : {}) };
}

export const suite: BenchSuite = {
  id: 'memory',
  title: 'Memory: RSS per idle pool worker, peak RSS of a 1 M-item map',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const idle = await idleWorkers(ctx.quick);
    const items = ctx.quick ? 200_000 : 1_000_000;
    const peak = await mapPeak(items, ctx.quick);
    return [
      {
        figure: 'memory: RSS per idle worker',
        unit: 'MB',
        higherIsBetter: false,
        ours: idle.ours,
        peers: { piscina: idle.piscina, raw: idle.raw },
        target: '≤ piscina',
        met: idle.ours <= idle.piscina,
        note: `RSS after ${String(IDLE_WORKERS)} workers are up and idle minus RSS before, / ${String(IDLE_WORKERS)}; a fresh process each; raw: a Worker that loaded the task module`,
      },
      {
        figure: `memory: peak RSS while mapping ${ctx.quick ? '200 k' : '1 M'} small items`,
        unit: 'MB',
        higherIsBetter: false,
        ours: peak.ours,
        ...(peak.python === undefined ? {} : { python: peak.python }),
        note: "whole process tree, 2 workers. Ours: the process's VmHWM (worker threads included). Python: sum of the parent's and each worker process's VmHWM (fork-shared pages counted in each)",
      },
    ];
  },
};
