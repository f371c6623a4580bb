/**
 * The course's benchmark: `calcCubes` (the cubes of 0 … 999) called 100 000
 * times on `Pool(5)`, then serially, both timed. A progress bar (fed by
 * `onProgress` as chunks complete) is drawn only when stdout is a terminal.
 */
import { SingleBar, Presets } from 'cli-progress';
import { Pool, moduleRef } from '@multiprocessing/pool';
import { print } from '../repr.js';
import type * as poolTasks from '../tasks/pool.js';
import { calcCubes } from '../tasks/pool.js';

const tasks = moduleRef<typeof poolTasks>(new URL('../tasks/pool.js', import.meta.url));
const CALLS = 100_000;

function progressBar(label: string): SingleBar | undefined {
  if (!process.stdout.isTTY) return undefined;
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total}` },
    Presets.shades_classic,
  );
  bar.start(CALLS, 0);
  return bar;
}

function range(n: number): Generator<number> {
  return (function* gen() {
    for (let i = 0; i < n; i++) yield i;
  })();
}

export async function main(): Promise<void> {
  let t1 = performance.now();
  let bar = progressBar('parallel');
  let parallel: number[];
  {
    await using p = new Pool({ processes: 5 });
    parallel = await p.map(tasks.calcCubes, range(CALLS), { onProgress: (done) => bar?.update(done) });
  }
  bar?.stop();
  print(`Parallel Processing Time Taken: ${((performance.now() - t1) / 1000).toFixed(2)} s`);

  print('Starting Serial Processing');
  t1 = performance.now();
  bar = progressBar('serial');
  const serial: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    serial.push(calcCubes(i));
    if ((i + 1) % 1000 === 0) bar?.update(i + 1);
  }
  bar?.stop();
  print(`Sequential Processing Time Taken: ${((performance.now() - t1) / 1000).toFixed(2)} s`);
  const equal = parallel.length === serial.length && parallel.every((x, i) => x === serial[i]);
  print(
    `Calls: ${String(CALLS)} each way; results equal: ${equal ? 'True' : 'False'}; sum of the cubes: ${String(serial[0])}`,
  );
}
