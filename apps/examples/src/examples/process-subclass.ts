/**
 * Subclassing `Process` with `run()`, as Python's tutorials start: each
 * child imports the class from the module that exports it and calls `run()`
 * on a copy of the instance, whose fields (a Queue among them) arrived as
 * `Process` args do.
 */
import { Queue } from '@multiprocessing/queue';
import { print } from '../repr.js';
import { Squarer } from '../tasks/process.js';

export async function main(): Promise<void> {
  const results = new Queue<string>();
  const workers = [
    [1, 2, 3],
    [4, 5, 6],
  ].map((numbers, i) => {
    const w = new Squarer(numbers, results);
    w.name = `Squarer-${String(i + 1)}`;
    return w;
  });
  for (const w of workers) w.start();
  const lines = await Promise.all(workers.map(() => results.get()));
  for (const w of workers) await w.join();
  for (const line of lines.sort()) print(line);
  print(
    'exit codes:',
    workers.map((w) => w.exitcode),
  );
}
