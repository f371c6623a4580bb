/**
 * Task functions for the queue examples (queue-evens, pipe, joinable-queue).
 * Each runs inside a child started by `Process`, a worker thread or (under the
 * 'process' start method) an OS process; the queues and connections it
 * receives arrive live either way.
 */
import type { Connection, JoinableQueue, Queue } from '@multiprocessing/queue';

/** Puts the list of the even numbers among `nums` on `q` (queue-evens). */
export function getEven(nums: number[], q: Queue<number[]>): void {
  q.putSync(nums.filter((n) => n % 2 === 0));
}

/** The child side of the pipe example: greets, then answers each question until 'bye'. */
export function pipeChild(conn: Connection): void {
  conn.send('hello from the child');
  for (;;) {
    const msg = conn.recvSync();
    if (msg === 'bye') break;
    conn.send({ question: msg, answer: (msg as number) * (msg as number) });
  }
  conn.sendBytes(new TextEncoder().encode('raw bytes, too'));
  conn.close();
}

/**
 * A joinable-queue worker: squares every number it takes, reports it on
 * `results`, marks the task done, and stops at `null`.
 */
export function squareWorker(jobs: JoinableQueue<number | null>, results: Queue<[number, number]>): void {
  for (;;) {
    const n = jobs.getSync();
    if (n === null) {
      jobs.taskDone();
      return;
    }
    results.putSync([n, n * n]);
    jobs.taskDone();
  }
}
