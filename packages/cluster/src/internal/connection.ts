/**
 * Redis connections: the options a `redis://` / `rediss://` URL and the
 * user's `redis` options make (AUTH, TLS, db), the ioredis clients made from
 * them, and the watchdog that turns a connection lost for too long into a
 * named error instead of a wait for ever.
 */
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { ClusterConnectionError } from '../errors.js';

/**
 * The ioredis options of `url` (`redis://[user:password@]host[:port][/db]`,
 * `rediss://` for TLS), with `extra` over them.
 *
 * @throws {TypeError} a `connection` that is not a redis:// or rediss:// URL.
 */
export function redisOptions(url: string, extra: RedisOptions | undefined): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`connection must be a redis:// or rediss:// URL, got '${url}'`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new TypeError(`connection must be a redis:// or rediss:// URL, got '${url}'`);
  }
  const out: RedisOptions = {
    host: parsed.hostname === '' ? '127.0.0.1' : parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
  };
  if (parsed.username !== '') out.username = decodeURIComponent(parsed.username);
  if (parsed.password !== '') out.password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '') out.db = Number(db);
  if (parsed.protocol === 'rediss:') out.tls = {};
  return { ...out, ...extra };
}

/** Where a connection goes, for messages: `host:port`. */
export function describeServer(options: RedisOptions): string {
  return `${String(options.host)}:${String(options.port)}`;
}

/** A new ioredis client for `options`; `blocking`: for BLPOP / SUBSCRIBE (no retry limit per command). */
export function openRedis(options: RedisOptions, blocking: boolean): Redis {
  return new Redis({
    ...options,
    maxRetriesPerRequest: blocking ? null : 1,
    // A connection that cannot be made within the bound counts as lost.
    connectTimeout: options.connectTimeout ?? 5000,
  });
}

/**
 * Watches connections: once any of them has been down for `limitMs`
 * without coming back, `onLost` gets a ClusterConnectionError (once).
 */
export class ConnectionWatchdog {
  readonly #down = new Map<Redis, number>();
  /** The message of the last connection error seen, if any. */
  lastError: string | undefined = undefined;
  readonly #timer: NodeJS.Timeout;
  #fired = false;

  constructor(
    private readonly server: string,
    private readonly limitMs: number,
    private readonly onLost: (error: ClusterConnectionError) => void,
  ) {
    this.#timer = setInterval(
      () => {
        this.#check();
      },
      Math.min(250, limitMs),
    );
    this.#timer.unref();
  }

  /** Watches `client` from now on. */
  watch(client: Redis): void {
    if (client.status !== 'ready') this.#down.set(client, performance.now());
    const down = (): void => {
      if (!this.#down.has(client)) this.#down.set(client, performance.now());
    };
    client.on('close', down);
    client.on('reconnecting', down);
    client.on('end', down);
    client.on('ready', () => {
      this.#down.delete(client);
    });
    // ioredis emits connection errors as events; the watchdog reports them.
    client.on('error', (err: Error) => {
      this.lastError = err.message;
      down();
    });
  }

  /** Stops watching `client` (it is being closed on purpose). */
  forget(client: Redis): void {
    this.#down.delete(client);
    client.removeAllListeners('close');
    client.removeAllListeners('reconnecting');
    client.removeAllListeners('end');
    client.removeAllListeners('ready');
    client.on('error', () => undefined);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #check(): void {
    if (this.#fired) return;
    const now = performance.now();
    for (const since of this.#down.values()) {
      if (now - since < this.limitMs) continue;
      this.#fired = true;
      this.stop();
      this.onLost(
        new ClusterConnectionError(
          `lost the connection to Redis at ${this.server} for ${String(Math.round(this.limitMs / 100) / 10)} s`,
        ),
      );
      return;
    }
  }
}

/** Closes `client`: QUIT when it is up, else drops it at once; never waits longer than `ms`. */
export async function closeRedis(client: Redis, ms = 2000): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.quit().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
  client.disconnect();
}

/** `options` as BullMQ takes them (its own type for the same ioredis options). */
export function bullConnection(options: RedisOptions): ConnectionOptions {
  return options as ConnectionOptions;
}
