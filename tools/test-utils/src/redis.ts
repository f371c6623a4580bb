/**
 * A throwaway redis-server per test suite: a free port on 127.0.0.1, a fresh
 * temp dir, no persistence, ready once it answers PING, and never outliving
 * the test process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, rmSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';
import { runInThisContext } from 'node:vm';
import { redisCommands } from './resp.js';

/** How to get redis-server, for the messages that say it is missing. */
const INSTALL = 'sudo apt-get install -y redis-server';
const HOST = '127.0.0.1';
const READY_MS = 10_000;
const STOP_MS = 10_000;
const PORT_ATTEMPTS = 5;
const LOG_TAIL = 4_096;

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** Makes the server require it (`--requirepass`): no whitespace or control characters. */
  readonly password?: string;
}

/** A running redis-server that {@link startRedis} started. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, with `:<password>@` when there is one. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly password?: string;
  readonly pid: number;
  /** Its working directory, a fresh temp dir that {@link RedisServer.stop} removes. */
  readonly dir: string;
  /** The exit code once the server has ended; null when a signal ended it. */
  readonly exited: Promise<number | null>;
  /** Sends `signal` (SIGKILL unless told) to the server, for tests where redis dies. No-op once it has ended. */
  kill(signal?: NodeJS.Signals): void;
  /** Ends the server (SIGTERM, SIGKILL after 10 s), waits for its exit and removes its dir. Idempotent. */
  stop(): Promise<void>;
}

interface Tracked {
  readonly child: ChildProcess;
  readonly dir: string;
}

interface Registry {
  readonly servers: Set<Tracked>;
  warned: boolean;
}

const REGISTRY = Symbol.for('@multiprocessing/test-utils/redis');

/**
 * The main context's `process`. jest runs each test file in a context of its
 * own, with a copy of `process` whose 'exit' listeners never run and a
 * `console` whose output it drops for a file whose tests are all skipped.
 */
function mainProcess(): NodeJS.Process & Record<symbol, Registry | undefined> {
  return runInThisContext('process') as NodeJS.Process & Record<symbol, Registry | undefined>;
}

/** The main context's `console` (see {@link mainProcess}). */
function mainConsole(): Console {
  return runInThisContext('console') as Console;
}

/** The servers still to end, one set for the whole process, on the real `process`. */
function registry(): Registry {
  const real = mainProcess();
  const existing = real[REGISTRY];
  if (existing !== undefined) return existing;
  const created: Registry = { servers: new Set(), warned: false };
  real[REGISTRY] = created;
  real.on('exit', () => {
    for (const { child, dir } of created.servers) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
    created.servers.clear();
  });
  return created;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The redis-server to run: `REDIS_SERVER_PATH` when set (undefined if that is
 * not an executable file), else the first on PATH, else /usr/bin or /usr/sbin;
 * undefined when there is none.
 */
export function redisServerPath(): string | undefined {
  const override = process.env.REDIS_SERVER_PATH;
  if (override !== undefined && override !== '') return isExecutable(override) ? override : undefined;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => isAbsolute(d));
  return [...dirs, '/usr/bin', '/usr/sbin'].map((d) => join(d, 'redis-server')).find(isExecutable);
}

function missingMessage(): string {
  const override = process.env.REDIS_SERVER_PATH;
  const where =
    override !== undefined && override !== ''
      ? `REDIS_SERVER_PATH=${override} is not an executable file`
      : 'not on PATH, nor in /usr/bin or /usr/sbin';
  return `redis-server was not found (${where}). Install it with \`${INSTALL}\`.`;
}

function checkOptions(options: unknown): string | undefined {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { password } = options as StartRedisOptions;
  if (password === undefined) return undefined;
  if (typeof password !== 'string') throw new TypeError('options.password must be a string');
  if (!/^[^\s\p{Cc}]+$/u.test(password)) {
    throw new RangeError('options.password must be non-empty, without whitespace or control characters');
  }
  return password;
}

/** A port the OS has just handed out on 127.0.0.1, released again. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

class AddressInUse extends Error {}

/** Runs redis-server on `port`; resolves once it answers PING, rejects (the server ended) when it cannot. */
function launch(file: string, dir: string, port: number, password: string | undefined): Promise<RedisServer> {
  const args = ['--port', String(port), '--bind', HOST, '--dir', dir, '--save', '', '--appendonly', 'no'];
  args.push('--daemonize', 'no', '--logfile', '');
  if (password !== undefined) args.push('--requirepass', password);
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const entry: Tracked = { child, dir };
  registry().servers.add(entry);
  let running = true;
  let log = '';
  const exited = new Promise<number | null>((resolve) => {
    // 'close' rather than 'exit': the server's last output has been read by then.
    child.once('close', (code) => {
      running = false;
      resolve(code);
    });
    child.once('error', (err) => {
      log += `\n${err.message}`;
      if (child.pid === undefined) {
        running = false;
        resolve(null);
      }
    });
  });
  // Neither the server nor its output keeps the test process alive: one a
  // test left running is ended by the registry's 'exit' listener.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) {
    (stream as Readable & Partial<Pick<Socket, 'unref'>>).unref?.();
    stream.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-LOG_TAIL);
    });
  }
  let stopping: Promise<void> | undefined;
  const server: RedisServer = {
    url: `redis://${password === undefined ? '' : `:${encodeURIComponent(password)}@`}${HOST}:${port}`,
    host: HOST,
    port,
    password,
    pid: child.pid ?? 0,
    dir,
    exited,
    kill(signal = 'SIGKILL') {
      if (running) child.kill(signal);
    },
    stop() {
      stopping ??= (async () => {
        if (running) {
          child.ref(); // the process waits for the server's exit
          child.kill('SIGTERM');
          const force = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
          await exited;
          clearTimeout(force);
        }
        await rm(dir, { recursive: true, force: true });
        registry().servers.delete(entry);
      })();
      return stopping;
    },
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    let asking = false;
    let askAgain = false;
    const fail = async (message: string, ErrorClass: new (m: string) => Error = Error): Promise<void> => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (running) child.kill('SIGKILL');
      await exited;
      registry().servers.delete(entry);
      reject(new ErrorClass(`${message}; its output ends:\n${log.trim()}`));
    };
    const timer = setTimeout(() => {
      void fail(`redis-server did not answer PING on port ${port} within ${READY_MS} ms`);
    }, READY_MS);
    void exited.then((code) =>
      fail(
        `redis-server exited (code ${String(code)}) before answering PING on port ${port}`,
        /Address already in use/i.test(log) ? AddressInUse : Error,
      ),
    );
    // Each line the server logs is a moment to ask; its last one before it
    // serves ("Ready to accept connections") comes once it listens.
    const ask = (): void => {
      if (settled) return;
      if (asking) {
        askAgain = true;
        return;
      }
      asking = true;
      void redisCommands(port, [['PING']], { password, timeoutMs: 2_000 })
        .then(
          ([reply]) => reply === 'PONG',
          () => false,
        )
        .then((pong) => {
          asking = false;
          if (pong && !settled) {
            settled = true;
            clearTimeout(timer);
            resolve(server);
          } else if (askAgain) {
            askAgain = false;
            ask();
          }
        });
    };
    child.stdout?.on('data', ask);
  });
}

/**
 * Starts a redis-server for a test: on a free port of 127.0.0.1 (another when
 * that one is taken by the time the server binds), in a fresh temp dir, with
 * no persistence, requiring `options.password` when given. Resolves once it
 * answers PING; rejects with the end of its output when it does not within
 * 10 s, and when redis-server is missing. Every server still running when the
 * process exits is killed, so none outlives a test run; call
 * {@link RedisServer.stop} when done all the same.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const password = checkOptions(options);
  const file = redisServerPath();
  if (file === undefined) throw new Error(missingMessage());
  const dir = await mkdtemp(join(tmpdir(), 'mp-redis-'));
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(file, dir, await freePort(), password);
    } catch (err) {
      if (!(err instanceof AddressInUse) || attempt === PORT_ATTEMPTS) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
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
  checkOptions(options);
  if (redisServerPath() === undefined) {
    const missing = missingMessage();
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
    const skipped = registry();
    if (!skipped.warned) {
      skipped.warned = true;
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
