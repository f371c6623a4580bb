import { Pool, moduleRef } from '@multiprocessing/pool';
import cliProgress from 'cli-progress';
import type * as Tasks from './tasks.js';

const tasks = moduleRef<typeof Tasks>(new URL('./tasks.js', import.meta.url));
const limits = Array.from({ length: 200 }, (_, i) => 20_000 + i * 1_000);

interface Progress {
  onProgress: (done: number, total: number) => void;
  stop: () => void;
}

/** A bar redrawn in place, for a terminal. */
function progressBar(total: number): Progress {
  const bar = new cliProgress.SingleBar({}, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return {
    onProgress(done) {
      bar.update(done);
    },
    stop() {
      bar.stop();
    },
  };
}

/** One plain line at each quarter, each printed once, for a pipe, a file or a CI log. */
function progressLines(): Progress {
  const marks = [25, 50, 75, 100];
  return {
    onProgress(done, total) {
      // A chunk completes several items at once, so `done` can jump past a mark.
      while (marks.length > 0 && done * 100 >= (marks[0] ?? 0) * total) {
        console.log(`progress: ${String(marks.shift())}%`);
      }
    },
    stop: () => undefined,
  };
}

await using pool = new Pool({ processes: 2 });
const progress = process.stdout.isTTY ? progressBar(limits.length) : progressLines();
let sums: number[];
try {
  sums = await pool.map(tasks.digitSum, limits, { chunksize: 5, onProgress: progress.onProgress });
} finally {
  progress.stop(); // a terminal gets its cursor line back even if the map fails
}
console.log(`${String(sums.length)} results; the last is ${String(sums.at(-1))}`);
