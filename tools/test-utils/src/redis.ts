/**
 * A throwaway redis-server per test suite: a free port on 127.0.0.1, a fresh
 * temp dir, no persistence, ready once it answers PING, and never outliving
 * the test process. The process work is tools/scripts/redis-server.mjs, which
 * the benchmarks and the examples run as well.
 */
import { runInThisContext } from 'node:vm';
import {
  REDIS_SERVER_INSTALL as INSTALL,
  redisServerMissing,
  redisServerPath,
  startRedisServer,
  type RedisServer,
} from '../../scripts/redis-server.mjs';

export { redisServerPath };
export type { RedisServer };

const READY_MS = 10_000;
const PORT_ATTEMPTS = 5;
const WARNED = Symbol.for('@multiprocessing/test-utils/redis-warned');

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** Makes the server require it (`--requirepass`): no whitespace or control characters. */
  readonly password?: string;
}

/**
 * The main context's `process`. jest runs each test file in a context of its
 * own, with a copy of `process`, and a `console` whose output it drops for a
 * file whose tests are all skipped.
 */
function mainProcess(): NodeJS.Process & Record<symbol, boolean | undefined> {
  return runInThisContext('process') as NodeJS.Process & Record<symbol, boolean | undefined>;
}

/** The main context's `console` (see {@link mainProcess}). */
function mainConsole(): Console {
  return runInThisContext('console') as Console;
}

/**
 * Starts a redis-server for a test: on a free port of 127.0.0.1 (another when
 * that one is taken by the time the server binds), in a fresh temp dir, with
 * no persistence, requiring `options.password` when given. Resolves once it
 * answers PING; rejects with the end of its output when it does not within
 * 10 s, and when redis-server is missing. Every server still running when the
 * test process exits is killed (the 'exit' listener is on the main context's
 * `process`, whose listeners run, unlike those of jest's copy), so none
 * outlives a test run; call {@link RedisServer.stop} when done all the same.
 */
export function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  return startRedisServer(options);
}

function inCI(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * A jest `describe` whose tests share one redis-server (see
 * {@link startRedis}), started in `beforeAll` and stopped in `afterAll`;
 * `fn` defines the tests and reaches the server through `redis()` inside
 * them. When redis-server is missing, the tests fail under CI (`CI` set),
 * saying how to install it; elsewhere they are skipped, named as skipped for
 * that reason, with a warning on stderr.
 */
export function describeWithRedis(
  name: string,
  fn: (redis: () => RedisServer) => void,
  options: StartRedisOptions = {},
): void {
  if (typeof name !== 'string') throw new TypeError('name must be a string');
  if (typeof fn !== 'function') throw new TypeError('fn must be a function');
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  if (redisServerPath() === undefined) {
    const missing = redisServerMissing();
    const unavailable = (): never => {
      throw new Error(missing);
    };
    if (inCI()) {
      describe(name, () => {
        beforeAll(unavailable);
        fn(unavailable);
      });
      return;
    }
    const real = mainProcess();
    if (real[WARNED] !== true) {
      real[WARNED] = true;
      mainConsole().warn(
        `\n*** WARNING: redis-server is missing, so the cluster tests (and every other test that needs ` +
          `redis) did NOT run: they are reported as skipped. ***\n${missing}\n`,
      );
    }
    describe.skip(`${name} [skipped: redis-server is missing; ${INSTALL}]`, () => {
      fn(unavailable);
    });
    return;
  }
  describe(name, () => {
    let server: RedisServer | undefined;
    beforeAll(async () => {
      server = await startRedis(options);
    }, READY_MS * PORT_ATTEMPTS);
    afterAll(async () => {
      await server?.stop();
    });
    fn(() => {
      if (server === undefined) throw new Error(`redis-server is not running: call redis() inside a test`);
      return server;
    });
  });
}
