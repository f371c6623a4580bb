/**
 * Raw BullMQ as a peer of the cluster suite: a `Queue` and a `QueueEvents`
 * in this process, and BullMQ `Worker`s in child processes of their own
 * (fixtures/cluster-bullmq-worker.mjs) running the same square task. A call
 * adds jobs (`add`, or `addBulk` for many) and resolves once their
 * 'completed' events have come back, with the results they carry: what a
 * BullMQ user does to await a result in the process that asked for it.
 * Jobs are removed once complete, as the cluster's own are.
 */
import { Queue, QueueEvents, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { startChild, type Child } from './children.js';

const workerFixture = new URL('../../fixtures/cluster-bullmq-worker.mjs', import.meta.url);

/** Options of {@link startBullmqPeer}. */
export interface BullmqPeerOptions {
  /** The Redis, `redis://[:password@]host:port`. */
  readonly url: string;
  /** The queue's name. */
  readonly name: string;
  /** Worker processes, each with one BullMQ `Worker`. */
  readonly workers: number;
  /** The `concurrency` of each `Worker`: jobs it runs at once. */
  readonly concurrency: number;
}

/** A running peer: see {@link startBullmqPeer}. */
export interface BullmqPeer {
  /** The worker processes' pids. */
  readonly pids: readonly number[];
  /** One job per item, added with one `addBulk`; resolves to the results in order. */
  jobs(items: readonly number[]): Promise<number[]>;
  /** One job, added with `add`; resolves to its result. */
  one(x: number): Promise<number>;
  /** One job per chunk of `chunksize` items, added with one `addBulk`; resolves to the results in order. */
  chunks(items: readonly number[], chunksize: number): Promise<number[]>;
  /** Closes the queue and the event reader and ends the worker processes. */
  close(): Promise<void>;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(reason: Error): void;
}

const kJobOptions: JobsOptions = { removeOnComplete: true, removeOnFail: true, attempts: 1 };
/** Events kept in the queue's stream: enough that none is trimmed before it is read. */
const kEventsMaxLen = 500_000;

function connectionOf(url: string): ConnectionOptions {
  const { hostname, port, password } = new URL(url);
  return {
    host: hostname,
    port: Number(port),
    ...(password === '' ? {} : { password: decodeURIComponent(password) }),
    maxRetriesPerRequest: null,
  };
}

/**
 * Starts the peer: the queue, its event reader, and `workers` processes.
 * Resolves once every worker takes jobs.
 *
 * @throws {RangeError} `workers` or `concurrency` not a positive integer.
 */
export async function startBullmqPeer(options: BullmqPeerOptions): Promise<BullmqPeer> {
  for (const key of ['workers', 'concurrency'] as const) {
    const n = options[key];
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${key} must be a positive integer, got ${n}`);
  }
  const connection = connectionOf(options.url);
  const queue = new Queue(options.name, { connection, streams: { events: { maxLen: kEventsMaxLen } } });
  const events = new QueueEvents(options.name, { connection });
  const children: Child[] = [];
  const waiters = new Map<string, Waiter>();
  let seq = 0;
  events.on('completed', ({ jobId, returnvalue }) => {
    const w = waiters.get(jobId);
    if (w === undefined) return;
    waiters.delete(jobId);
    w.resolve(returnvalue);
  });
  events.on('failed', ({ jobId, failedReason }) => {
    const w = waiters.get(jobId);
    if (w === undefined) return;
    waiters.delete(jobId);
    w.reject(new Error(`job ${jobId} failed: ${failedReason}`));
  });
  const close = async (): Promise<void> => {
    for (const w of waiters.values()) w.reject(new Error('the BullMQ peer was closed'));
    waiters.clear();
    await Promise.all([...children.map((c) => c.stop()), events.close(), queue.close()]);
  };
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    const started = await Promise.allSettled(
      Array.from({ length: options.workers }, () =>
        startChild(workerFixture, [options.url, options.name, String(options.concurrency)], {
          what: 'a BullMQ worker process',
        }),
      ),
    );
    for (const s of started) if (s.status === 'fulfilled') children.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  } catch (err) {
    await close();
    throw err;
  }
  /** Registers a waiter for a new job id (before the job is added: its event may come first). */
  const expect = (): { jobId: string; result: Promise<unknown> } => {
    const jobId = `j${String(++seq)}`;
    const result = new Promise<unknown>((resolve, reject) => waiters.set(jobId, { resolve, reject }));
    return { jobId, result };
  };
  const bulk = async (payloads: readonly unknown[]): Promise<unknown[]> => {
    const jobs = payloads.map((data) => ({ data, ...expect() }));
    try {
      await queue.addBulk(
        jobs.map(({ data, jobId }) => ({ name: 'square', data, opts: { ...kJobOptions, jobId } })),
      );
    } catch (err) {
      for (const j of jobs) waiters.delete(j.jobId);
      throw err;
    }
    return Promise.all(jobs.map((j) => j.result));
  };
  return {
    pids: children.map((c) => c.pid),
    jobs: (items) => bulk(items) as Promise<number[]>,
    one: async (x) => {
      const { jobId, result } = expect();
      try {
        await queue.add('square', x, { ...kJobOptions, jobId });
      } catch (err) {
        waiters.delete(jobId);
        throw err;
      }
      return (await result) as number;
    },
    chunks: async (items, chunksize) => {
      const payloads: number[][] = [];
      for (let i = 0; i < items.length; i += chunksize) payloads.push(items.slice(i, i + chunksize));
      return ((await bulk(payloads)) as number[][]).flat();
    },
    close,
  };
}
