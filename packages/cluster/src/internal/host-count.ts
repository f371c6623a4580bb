/**
 * The hosts serving a cluster, as a caller sees them: each host keeps a
 * heartbeat key with its process count that expires unless renewed, and
 * lists its id in a set. Read once a second, so `map`'s chunksize follows
 * hosts that join or leave.
 */
import type { Redis } from 'ioredis';
import type { ClusterKeys } from './keys.js';

/** How often a caller reads the hosts (ms). */
export const kHostPollMs = 1000;

/** One host as its heartbeat describes it. */
export interface HostInfo {
  /** Its id, unique per serveCluster() call. */
  readonly id: string;
  /** Its name (`hostName`, by default the machine's host name and its pid). */
  readonly name: string;
  /** Worker processes (or threads) it runs tasks on. */
  readonly processes: number;
}

/** See the module header. */
export class HostCount {
  #hosts: HostInfo[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
  ) {}

  /** The hosts seen at the last read. */
  get hosts(): readonly HostInfo[] {
    return this.#hosts;
  }

  /** Their worker processes, in all. */
  get total(): number {
    let n = 0;
    for (const host of this.#hosts) n += host.processes;
    return n;
  }

  /** Reads the hosts now. */
  async refresh(): Promise<void> {
    const ids = await this.redis.smembers(this.keys.hosts());
    if (ids.length === 0) {
      this.#hosts = [];
      return;
    }
    const values = await this.redis.mget(ids.map((id) => this.keys.host(id)));
    const hosts: HostInfo[] = [];
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const value = values[i];
      if (value === null || value === undefined) {
        gone.push(id);
        return;
      }
      const [processes, name] = JSON.parse(value) as [number, string];
      hosts.push({ id, name, processes });
    });
    // A host that died without saying so: its heartbeat expired.
    if (gone.length > 0) await this.redis.srem(this.keys.hosts(), ...gone);
    this.#hosts = hosts;
  }

  /** Reads the hosts every {@link kHostPollMs} until stop(). */
  start(): void {
    this.#timer = setInterval(() => {
      this.refresh().catch(() => undefined);
    }, kHostPollMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
