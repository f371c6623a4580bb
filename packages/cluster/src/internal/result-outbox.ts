/**
 * A host's outgoing results: entries gathered per caller during one tick,
 * then pushed as one batch on that caller's results list, by a script that
 * pushes only while the caller's presence key lives (a caller that has gone
 * leaves no list behind) and lets the list expire if nobody reads it.
 */
import type { Redis } from 'ioredis';
import type { ClusterKeys } from './keys.js';
import { encodeResults } from './wire.js';

/** How long an unread results list lives (ms). */
const kResultsTtlMs = 60_000;

const kPushScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;

type PushRedis = Redis & {
  pushResults(presence: string, results: string, batch: Buffer, ttlMs: number): Promise<number>;
};

/** See the module header. */
export class ResultOutbox {
  #byClient = new Map<string, unknown[]>();
  #scheduled = false;
  #inFlight: Promise<unknown> = Promise.resolve();
  readonly #redis: PushRedis;

  constructor(
    redis: Redis,
    private readonly keys: ClusterKeys,
    private readonly host: string,
  ) {
    redis.defineCommand('pushResults', { numberOfKeys: 2, lua: kPushScript });
    this.#redis = redis as PushRedis;
  }

  /** Adds one entry for caller `client`. */
  push(client: string, lane: number, jobId: number, kind: number, value: unknown): void {
    let entries = this.#byClient.get(client);
    if (entries === undefined) this.#byClient.set(client, (entries = []));
    entries.push(lane, jobId, kind, value);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#flush();
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const byClient = this.#byClient;
    this.#byClient = new Map();
    const pushes: Promise<unknown>[] = [];
    for (const [client, entries] of byClient) {
      const batch = encodeResults(this.host, entries);
      pushes.push(
        this.#redis
          .pushResults(this.keys.client(client), this.keys.results(client), batch, kResultsTtlMs)
          .catch(() => undefined),
      );
    }
    this.#inFlight = Promise.all([this.#inFlight, ...pushes]);
  }

  /** Resolves once every entry pushed so far has reached Redis (or failed to). */
  async flushed(): Promise<void> {
    if (this.#scheduled) this.#flush();
    await this.#inFlight;
  }
}
