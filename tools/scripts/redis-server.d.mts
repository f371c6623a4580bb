// The types of redis-server.mjs.

/** How to get redis-server (`sudo apt-get install -y redis-server`), for the messages that say it is missing. */
export declare const REDIS_SERVER_INSTALL: string;

/**
 * The redis-server to run: `REDIS_SERVER_PATH` when set (undefined if that is
 * not an executable file), else the first on PATH, else /usr/bin or /usr/sbin;
 * undefined when there is none.
 */
export declare function redisServerPath(): string | undefined;

/** Why {@link redisServerPath} finds no redis-server, and how to install it. */
export declare function redisServerMissing(): string;

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /** Makes the server require it (`--requirepass`): no whitespace or control characters. */
  readonly password?: string;
}

/** A running redis-server that {@link startRedisServer} started. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, with `:<password>@` when there is one. */
  readonly url: string;
  /** Always `127.0.0.1`. */
  readonly host: string;
  /** The port it listens on. */
  readonly port: number;
  /** The password it requires, if any. */
  readonly password?: string;
  /** The server's process id. */
  readonly pid: number;
  /** Its working directory, a fresh temp dir that {@link RedisServer.stop} removes. */
  readonly dir: string;
  /** The exit code once the server has ended; null when a signal ended it. */
  readonly exited: Promise<number | null>;
  /** Sends `signal` (SIGKILL unless told) to the server, e.g. for tests where redis dies. No-op once it has ended. */
  kill(signal?: NodeJS.Signals): void;
  /** Ends the server (SIGTERM, SIGKILL after 10 s), waits for its exit and removes its dir. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a redis-server on a free port of 127.0.0.1 (another when that one is
 * taken by the time the server binds), in a fresh temp dir, with no
 * persistence, requiring `options.password` when given. Resolves once it
 * answers PING; rejects with the end of its output when it does not within
 * 10 s, and with {@link redisServerMissing} when there is no redis-server.
 * Every server still running when the process exits is killed; call
 * {@link RedisServer.stop} when done all the same.
 * @throws TypeError / RangeError (as a rejection) naming `options` or `options.password` when they are bad.
 */
export declare function startRedisServer(options?: StartRedisServerOptions): Promise<RedisServer>;
