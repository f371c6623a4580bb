/**
 * The caller's side of a cluster: one per `connectCluster()`. It owns the
 * lanes of every pool made on it, sends their bundles as BullMQ jobs,
 * receives the results the hosts push on its own list, and turns a lost
 * host (a stalled job) or a lost Redis into errors of the tasks involved.
 */
import { randomBytes } from 'node:crypto';
import { CancelledError, StateError, WorkerLostError } from '@multiprocessing/core';
import type { WorkerLauncher } from '@multiprocessing/pool/internal';
import { ClusterConnectionError } from '../errors.js';
import type { Redis } from 'ioredis';
import type { ClientSettings } from './client-settings.js';
import { bounded, ClusterQueue } from './cluster-queue.js';
import { closeRedis, ConnectionWatchdog, describeServer, openRedis } from './connection.js';
import { HostCount } from './host-count.js';
import { ClusterKeys } from './keys.js';
import { Lane, type LaneClient } from './lane.js';
import {
  decodeResults,
  encodeBundle,
  kBundleStride,
  kEntryStride,
  kResultEvent,
  kResultStart,
  type Bundle,
  type BundleData,
} from './wire.js';

/** A bundle sent and not fully answered. */
interface Sent {
  readonly lane: Lane;
  readonly jobIds: Set<number>;
  readonly data: BundleData;
  /** It carries single calls: its lane is told when it ends. */
  readonly singleCalls: boolean;
  attempts: number;
}

/** `sent` has ended (answered, failed, lost or cancelled): its lane may send the calls it holds. */
function ended(sent: Sent): void {
  if (sent.singleCalls) sent.lane.applyJobEnded();
}

/** How long a caller's presence key lives unless renewed (ms), and how often it is renewed. */
const kPresenceTtlMs = 15_000;
const kPresenceRenewMs = 5_000;
/** Results taken per LPOP once a BLPOP has returned. */
const kDrainBatch = 512;

/** See the module header. */
export class ClusterClient implements LaneClient {
  readonly id = randomBytes(9).toString('base64url').replace(/^[-_]/, 'c');
  readonly keys: ClusterKeys;
  broken: Error | undefined = undefined;
  #closed = false;
  readonly #lanes = new Map<number, Lane>();
  readonly #bundles = new Map<string, Sent>();
  /** lane id → (job id → the BullMQ job that carries it). */
  readonly #jobs = new Map<number, Map<number, string>>();
  #seq = 0;
  #adds: { bullId: string; data: BundleData }[] = [];
  #flushScheduled = false;
  #presence: Promise<unknown> | undefined;
  #presenceTimer: NodeJS.Timeout | undefined;
  readonly #watchdog: ConnectionWatchdog;
  readonly #main: Redis;
  readonly #results: Redis;
  #queue: ClusterQueue | undefined;
  readonly hosts: HostCount;

  private constructor(readonly settings: ClientSettings) {
    this.keys = new ClusterKeys(settings.prefix, settings.name);
    this.#watchdog = new ConnectionWatchdog(
      describeServer(settings.redis),
      settings.connectionTimeoutMs,
      (err) => {
        this.#break(err);
      },
    );
    this.#main = openRedis(settings.redis, false);
    this.#results = openRedis(settings.redis, true);
    this.#watchdog.watch(this.#main);
    this.#watchdog.watch(this.#results);
    this.hosts = new HostCount(this.#main, this.keys);
  }

  /** How many jobs the single calls of one tick are spread over: the cluster's worker processes. */
  get spread(): number {
    return Math.max(1, this.hosts.total);
  }

  /** True after close(). */
  get closed(): boolean {
    return this.#closed;
  }

  /** The caller's project root, against which module paths are sent. */
  get root(): string {
    return this.settings.root;
  }

  /**
   * Connects: resolves once Redis answers and the event stream is read.
   *
   * @throws {ClusterConnectionError} Redis did not answer within the connection timeout.
   */
  static async connect(settings: ClientSettings): Promise<ClusterClient> {
    const client = new ClusterClient(settings);
    const ready = (async () => {
      await client.#main.ping();
      // BullMQ's objects are made once Redis has answered: made before, they would wait for it for ever.
      const queue = await ClusterQueue.open(settings, (bullId, reason) => {
        void client.#lost(bullId, reason);
      });
      if (client.broken !== undefined) {
        await queue.close(false);
        throw client.broken;
      }
      client.#queue = queue;
      await client.hosts.refresh();
    })();
    const failed = new Promise<never>((_resolve, reject) => {
      const check = setInterval(() => {
        if (client.broken !== undefined) reject(client.broken);
      }, 50);
      void ready
        .catch(() => undefined)
        .finally(() => {
          clearInterval(check);
        });
    });
    try {
      await Promise.race([ready, failed]);
    } catch (err) {
      await client.close();
      if (err instanceof ClusterConnectionError) throw err;
      throw new ClusterConnectionError(
        `cannot use Redis at ${describeServer(settings.redis)}: ${client.#watchdog.lastError ?? (err as Error).message}`,
        { cause: err },
      );
    }
    client.hosts.start();
    void client.#readResults();
    return client;
  }

  /** Starts lanes for a pool (the launcher its scheduler is given). */
  readonly launcher: WorkerLauncher = (request) => {
    if (this.broken !== undefined) throw this.broken;
    if (this.#closed) throw new StateError('the cluster connection is closed');
    const lane = new Lane(request.name, this);
    this.#lanes.set(lane.id, lane);
    this.#jobs.set(lane.id, new Map());
    if (this.#lanes.size === 1) this.#startPresence();
    return lane;
  };

  submit(lane: Lane, bundle: Bundle, singleCalls: boolean): void {
    const jobIds = new Set<number>();
    for (let i = 0; i < bundle.tasks.length; i += kBundleStride) jobIds.add(bundle.tasks[i] as number);
    let d: string;
    try {
      d = encodeBundle(bundle);
    } catch (err) {
      lane.fail(jobIds, err as Error);
      if (singleCalls) lane.applyJobEnded();
      return;
    }
    this.#send({ lane, jobIds, data: { c: this.id, l: lane.id, d }, singleCalls, attempts: 0 });
  }

  #send(sent: Sent): void {
    const bullId = `${this.id}-${String(++this.#seq)}`;
    this.#bundles.set(bullId, sent);
    const jobs = this.#jobs.get(sent.lane.id);
    for (const jobId of sent.jobIds) jobs?.set(jobId, bullId);
    this.#adds.push({ bullId, data: sent.data });
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // The pool hands out a tick's tasks in one pump: they are all here by the next microtask.
    queueMicrotask(() => {
      this.#flushScheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    const adds = this.#adds;
    this.#adds = [];
    try {
      // Hosts push results only while the presence key lives: it must exist first.
      await this.#presence;
      if (this.#queue === undefined) throw new StateError('the cluster connection is not open');
      await this.#queue.add(adds);
    } catch (err) {
      const error = this.broken ?? (err as Error);
      for (const add of adds) {
        const sent = this.#bundles.get(add.bullId);
        if (sent === undefined) continue;
        this.#bundles.delete(add.bullId);
        sent.lane.fail(sent.jobIds, error);
        ended(sent);
      }
    }
  }

  cancel(lane: Lane, jobIds: readonly number[]): void {
    const waiting = new Set<string>();
    for (const jobId of jobIds) {
      const bullId = this.#forget(lane.id, jobId);
      if (bullId !== undefined) waiting.add(bullId);
    }
    if (this.broken !== undefined || this.#closed) return;
    const message = `${this.id} ${String(lane.id)} ${jobIds.join(',')}`;
    this.#main.publish(this.keys.cancels(), message).catch(() => undefined);
    // A job no host has taken yet goes at once (one a host runs cannot be removed: it ends with its cancels).
    for (const bullId of waiting) this.#queue?.remove(bullId);
  }

  laneEnded(lane: Lane): void {
    this.#lanes.delete(lane.id);
    this.#jobs.delete(lane.id);
    if (this.#lanes.size === 0) this.#stopPresence();
  }

  #startPresence(): void {
    if (this.broken !== undefined || this.#closed) return;
    const renew = (): Promise<unknown> =>
      this.#main.set(this.keys.client(this.id), '1', 'PX', kPresenceTtlMs).catch(() => undefined);
    this.#presence = renew();
    this.#presenceTimer = setInterval(() => {
      void renew();
    }, kPresenceRenewMs);
    this.#presenceTimer.unref();
  }

  #stopPresence(): void {
    clearInterval(this.#presenceTimer);
    this.#presenceTimer = undefined;
    if (this.broken !== undefined) return;
    const ended = this.#main
      .del(this.keys.client(this.id), this.keys.results(this.id))
      .catch(() => undefined);
    this.#presence = ended;
  }

  /** Reads the results list until the client closes. */
  async #readResults(): Promise<void> {
    const key = this.keys.results(this.id);
    while (!this.#closed && this.broken === undefined) {
      try {
        const popped = await this.#results.blpopBuffer(key, 0);
        if (popped === null) continue;
        // Delivered before anything else is read: a lone result waits for no second round trip.
        this.#deliver(popped[1]);
        for (;;) {
          const more = await this.#results.lpopBuffer(key, kDrainBatch);
          if (more === null || more.length === 0) break;
          for (const batch of more) this.#deliver(batch);
          if (more.length < kDrainBatch) break;
        }
      } catch {
        // The connection dropped: the watchdog decides whether it is lost.
        if (this.#closed || this.broken !== undefined) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  #deliver(batch: Buffer): void {
    let entries: unknown[];
    try {
      entries = decodeResults(batch)[1];
    } catch {
      return;
    }
    const byLane = new Map<number, unknown[]>();
    for (let i = 0; i < entries.length; i += kEntryStride) {
      const laneId = entries[i] as number;
      let out = byLane.get(laneId);
      if (out === undefined) byLane.set(laneId, (out = []));
      out.push(laneId, entries[i + 1], entries[i + 2], entries[i + 3]);
      const kind = entries[i + 2];
      if (kind === kResultStart || kind === kResultEvent) continue;
      this.#forget(laneId, entries[i + 1] as number);
    }
    for (const [laneId, out] of byLane) this.#lanes.get(laneId)?.receive(out, 0, out.length);
  }

  /**
   * Job `jobId` of lane `laneId` has ended (answered or cancelled): it leaves its bundle, and a bundle left
   * with no job ends. Returns the id of the bundle it ended, if any.
   */
  #forget(laneId: number, jobId: number): string | undefined {
    const jobs = this.#jobs.get(laneId);
    const bullId = jobs?.get(jobId);
    if (bullId === undefined) return undefined;
    jobs?.delete(jobId);
    const sent = this.#bundles.get(bullId);
    sent?.jobIds.delete(jobId);
    if (sent?.jobIds.size !== 0) return undefined;
    this.#bundles.delete(bullId);
    ended(sent);
    return bullId;
  }

  /** BullMQ reports job `bullId` stalled (its host stopped renewing its lock) or failed (`reason`). */
  async #lost(bullId: string, reason: string | undefined): Promise<void> {
    const sent = this.#bundles.get(bullId);
    if (sent === undefined) return;
    this.#bundles.delete(bullId);
    const by = await this.#queue?.takeLost(bullId);
    const host = by === undefined ? 'a host' : `host ${by}`;
    if (reason === undefined && sent.attempts < this.settings.retries && this.broken === undefined) {
      sent.attempts++;
      this.#send(sent);
      return;
    }
    const lockS = String(this.settings.lockDurationMs / 1000);
    const error =
      reason === undefined
        ? new WorkerLostError(host, null, {
            message: `Worker ${host} was lost while it ran this task (its job lock was not renewed for ${lockS} s)`,
          })
        : Object.assign(new Error(`${host} failed the job: ${reason}`), { host });
    const jobs = this.#jobs.get(sent.lane.id);
    for (const jobId of sent.jobIds) jobs?.delete(jobId);
    sent.lane.fail(sent.jobIds, error);
    ended(sent);
  }

  #break(error: Error): void {
    if (this.broken !== undefined || this.#closed) return;
    this.broken = error;
    this.#bundles.clear();
    for (const lane of this.#lanes.values()) lane.failAll(error);
    this.#adds = [];
    this.hosts.stop();
    clearInterval(this.#presenceTimer);
    // Stop reconnecting: nothing more is sent on this client.
    this.#main.disconnect();
    this.#results.disconnect();
    void this.#queue?.close(false);
  }

  /** Ends every lane (their tasks fail), removes this caller's keys and closes the connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watchdog.stop();
    this.hosts.stop();
    clearInterval(this.#presenceTimer);
    const ended = new CancelledError('the cluster connection was closed before the task completed');
    for (const lane of [...this.#lanes.values()]) {
      lane.failAll(ended);
      lane.terminate();
    }
    this.#watchdog.forget(this.#main);
    this.#watchdog.forget(this.#results);
    this.#results.disconnect();
    const up = this.broken === undefined && this.#main.status === 'ready';
    if (up) await bounded(this.#main.del(this.keys.client(this.id), this.keys.results(this.id)), 2000);
    await Promise.all([this.#queue?.close(up), closeRedis(this.#main)]);
  }
}
