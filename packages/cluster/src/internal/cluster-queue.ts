/**
 * A caller's BullMQ side: the queue its bundles are added to, the event
 * stream that says when a job stalled (its host stopped renewing the lock)
 * or failed, and a stall checker of its own, so that a job is found stalled
 * even when no host is left to check.
 */
import { Queue, QueueEvents, Worker, type JobsOptions } from 'bullmq';
import { raceTimeout } from '@multiprocessing/core/internal';
import { bullConnection } from './connection.js';
import type { ClientSettings } from './client-settings.js';
import type { BundleData } from './wire.js';

/** Resolves when `promise` settles or `ms` pass, never rejects. */
export function bounded(promise: Promise<unknown>, ms: number): Promise<unknown> {
  return raceTimeout(
    promise.catch(() => undefined),
    ms,
    () => undefined,
  );
}

/** Job options of every bundle: run once, leave nothing behind. */
const kJobOptions: JobsOptions = { removeOnComplete: true, removeOnFail: true, attempts: 1 };

/** See the module header. */
export class ClusterQueue {
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #checker: Worker;

  private constructor(
    settings: ClientSettings,
    onLost: (bullId: string, reason: string | undefined) => void,
  ) {
    const bull = { connection: bullConnection(settings.redis), prefix: settings.prefix };
    this.#queue = new Queue(settings.name, { ...bull, streams: { events: { maxLen: 1000 } } });
    this.#events = new QueueEvents(settings.name, bull);
    this.#checker = new Worker(settings.name, undefined, {
      ...bull,
      autorun: false,
      lockDuration: settings.lockDurationMs,
      stalledInterval: settings.stalledIntervalMs,
      maxStalledCount: 0,
    });
    // Connection errors: the client's watchdog reports a lost Redis.
    this.#queue.on('error', () => undefined);
    this.#events.on('error', () => undefined);
    this.#checker.on('error', () => undefined);
    this.#events.on('stalled', ({ jobId }) => {
      onLost(jobId, undefined);
    });
    this.#events.on('failed', ({ jobId, failedReason }) => {
      onLost(jobId, failedReason);
    });
  }

  /** Opens the queue; resolves once the event stream is read and the stall checker runs. */
  static async open(
    settings: ClientSettings,
    onLost: (bullId: string, reason: string | undefined) => void,
  ): Promise<ClusterQueue> {
    const queue = new ClusterQueue(settings, onLost);
    try {
      await Promise.all([
        queue.#events.waitUntilReady(),
        queue.#checker.waitUntilReady(),
        queue.#queue.waitUntilReady(),
      ]);
    } catch (err) {
      await queue.close(false);
      throw err;
    }
    void queue.#checker.startStalledCheckTimer().catch(() => undefined);
    return queue;
  }

  /** Adds bundles, each as one job named `t` with its own id. */
  async add(adds: readonly { bullId: string; data: BundleData }[]): Promise<void> {
    const [first] = adds;
    // One job: add() is one script call, where addBulk() wraps it in a transaction.
    if (adds.length === 1 && first !== undefined) {
      await this.#queue.add('t', first.data, { ...kJobOptions, jobId: first.bullId });
      return;
    }
    await this.#queue.addBulk(
      adds.map(({ bullId, data }) => ({ name: 't', data, opts: { ...kJobOptions, jobId: bullId } })),
    );
  }

  /** Removes a job no host holds (one a host runs cannot be removed; nothing happens then). */
  remove(bullId: string): void {
    this.#queue.remove(bullId).catch(() => undefined);
  }

  /** The name of the host that last took job `bullId`, then removes the job. */
  async takeLost(bullId: string): Promise<string | undefined> {
    try {
      const job = await this.#queue.getJob(bullId);
      await this.#queue.remove(bullId);
      return job?.processedBy;
    } catch {
      // Already gone (a live host failed it at once), or Redis is down: nothing to clean.
      return undefined;
    }
  }

  /** Closes: gracefully while Redis is `up`, else at once (a close would wait for a reconnection). */
  async close(up: boolean): Promise<void> {
    const ms = up ? 2000 : 100;
    await Promise.all([
      bounded(this.#events.close(), ms),
      bounded(this.#checker.close(true), ms),
      bounded(this.#queue.close(), ms),
    ]);
    await Promise.all([
      bounded(this.#events.disconnect(), ms),
      bounded(this.#checker.disconnect(), ms),
      bounded(this.#queue.disconnect(), ms),
    ]);
  }
}
