/**
 * What a caller's client is made with: connectCluster()'s options, checked.
 */
import type { RedisOptions } from 'ioredis';

/** What a client is made with (checked by connectCluster). */
export interface ClientSettings {
  readonly redis: RedisOptions;
  readonly name: string;
  readonly prefix: string;
  readonly root: string;
  readonly retries: number;
  readonly connectionTimeoutMs: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
}
