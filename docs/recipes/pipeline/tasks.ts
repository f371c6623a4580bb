/**
 * The three stages of the pipeline. Each runs in its own process and blocks
 * on the queues with their `…Sync` forms, which is natural in a worker.
 */
import type { JoinableQueue, Queue } from '@multiprocessing/queue';

export interface Job {
  readonly producer: string;
  readonly n: number;
}

export interface Result {
  readonly producer: string;
  readonly n: number;
  readonly square: number;
}

/** Stage 1: puts `count` jobs on `jobs`, numbered from `first`. */
export function produce(jobs: Queue<Job | null>, producer: string, first: number, count: number): void {
  for (let n = first; n < first + count; n++) jobs.putSync({ producer, n });
}

/** Stage 2: squares every job until it takes the sentinel, `null`. */
export function work(jobs: Queue<Job | null>, results: JoinableQueue<Result | null>): void {
  for (;;) {
    const job = jobs.getSync();
    if (job === null) return;
    results.putSync({ ...job, square: job.n * job.n });
  }
}

/** Stage 3: stores every result, then marks it done; stops at `null` (marked done too). */
export function store(results: JoinableQueue<Result | null>, stored: Queue<string>): void {
  for (;;) {
    const result = results.getSync();
    try {
      if (result === null) return;
      stored.putSync(`${result.producer}: ${result.n}² = ${result.square}`);
    } finally {
      results.taskDone();
    }
  }
}
