// A throwaway redis-server, for the tests, the benchmarks and the examples: a
// free port on 127.0.0.1, a fresh temp dir, no persistence, ready once it
// answers PING, and never outliving the process that started it. Plain ESM
// JavaScript, so that node runs it from any package's dist as it is; its
// types are in redis-server.d.mts.
import { spawn } from 'node:child_process';
import { accessSync, constants, rmSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { runInThisContext } from 'node:vm';

/** How to get redis-server, for the messages that say it is missing. */
export const REDIS_SERVER_INSTALL = 'sudo apt-get install -y redis-server';

const HOST = '127.0.0.1';
const READY_MS = 10_000;
const PING_MS = 2_000;
const STOP_MS = 10_000;
const PORT_ATTEMPTS = 5;
const LOG_TAIL = 4_096;
const REGISTRY = Symbol.for('@multiprocessing/redis-server');

/**
 * The servers still running, one set per process, kept on the main context's
 * `process`: jest runs each test file in a context of its own, with a copy of
 * `process` whose 'exit' listeners never run. Whatever is in the set when the
 * process exits is killed and its dir removed.
 */
function running() {
  const real = runInThisContext('process');
  const existing = real[REGISTRY];
  if (existing !== undefined) return existing;
  const servers = new Set();
  real[REGISTRY] = servers;
  real.on('exit', () => {
    for (const { child, dir } of servers) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
    servers.clear();
  });
  return servers;
}

function isExecutable(path) {
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
export function redisServerPath() {
  const override = process.env.REDIS_SERVER_PATH;
  if (override !== undefined && override !== '') return isExecutable(override) ? override : undefined;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => isAbsolute(d));
  return [...dirs, '/usr/bin', '/usr/sbin'].map((d) => join(d, 'redis-server')).find(isExecutable);
}

/** Why {@link redisServerPath} finds no redis-server, and how to install it. */
export function redisServerMissing() {
  const override = process.env.REDIS_SERVER_PATH;
  const where =
    override !== undefined && override !== ''
      ? `REDIS_SERVER_PATH=${override} is not an executable file`
      : 'not on PATH, nor in /usr/bin or /usr/sbin';
  return `redis-server was not found (${where}). Install it with \`${REDIS_SERVER_INSTALL}\`.`;
}

function checkOptions(options) {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { password } = options;
  if (password === undefined) return undefined;
  if (typeof password !== 'string') throw new TypeError('options.password must be a string');
  if (!/^[^\s\p{Cc}]+$/u.test(password)) {
    throw new RangeError('options.password must be non-empty, without whitespace or control characters');
  }
  return password;
}

/** A port the OS has just handed out on 127.0.0.1, released again. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

/** A RESP command: an array of bulk strings. */
function command(...args) {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/**
 * Whether the server on `port` answers PING with PONG (after AUTH when there
 * is a password) within {@link PING_MS}; false on any error. AUTH and PING
 * both answer with one line, so the second line is PING's answer.
 */
function pings(port, password) {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    const expected = password === undefined ? 1 : 2;
    let text = '';
    const done = (pong) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(pong);
    };
    const timer = setTimeout(() => {
      done(false);
    }, PING_MS);
    socket.on('error', () => {
      done(false);
    });
    socket.on('close', () => {
      done(false);
    });
    socket.on('connect', () => {
      socket.write((password === undefined ? '' : command('AUTH', password)) + command('PING'));
    });
    socket.on('data', (chunk) => {
      text += chunk.toString();
      const lines = text.split('\r\n');
      if (lines.length > expected) done(lines[expected - 1] === '+PONG');
    });
  });
}

class AddressInUse extends Error {}

/** Runs redis-server on `port`; resolves once it answers PING, rejects (the server ended) when it cannot. */
function launch(file, dir, port, password) {
  const args = ['--port', String(port), '--bind', HOST, '--dir', dir, '--save', '', '--appendonly', 'no'];
  args.push('--daemonize', 'no', '--logfile', '');
  if (password !== undefined) args.push('--requirepass', password);
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const entry = { child, dir };
  running().add(entry);
  let alive = true;
  let log = '';
  const exited = new Promise((resolve) => {
    // 'close' rather than 'exit': the server's last output has been read by then.
    child.once('close', (code) => {
      alive = false;
      resolve(code);
    });
    child.once('error', (err) => {
      log += `\n${err.message}`;
      if (child.pid === undefined) {
        alive = false;
        resolve(null);
      }
    });
  });
  // Neither the server nor its output keeps the process alive: one left
  // running is ended by the 'exit' listener of running().
  child.unref();
  for (const stream of [child.stdout, child.stderr]) {
    stream.unref?.();
    stream.on('data', (chunk) => {
      log = (log + chunk.toString()).slice(-LOG_TAIL);
    });
  }
  let stopping;
  const server = {
    url: `redis://${password === undefined ? '' : `:${encodeURIComponent(password)}@`}${HOST}:${port}`,
    host: HOST,
    port,
    password,
    pid: child.pid ?? 0,
    dir,
    exited,
    kill(signal = 'SIGKILL') {
      if (alive) child.kill(signal);
    },
    stop() {
      stopping ??= (async () => {
        if (alive) {
          child.ref(); // the process waits for the server's exit
          child.kill('SIGTERM');
          const force = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
          await exited;
          clearTimeout(force);
        }
        await rm(dir, { recursive: true, force: true });
        running().delete(entry);
      })();
      return stopping;
    },
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    let asking = false;
    let askAgain = false;
    const fail = async (message, ErrorClass = Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (alive) child.kill('SIGKILL');
      await exited;
      running().delete(entry);
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
    const ask = () => {
      if (settled) return;
      if (asking) {
        askAgain = true;
        return;
      }
      asking = true;
      void pings(port, password).then((pong) => {
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
    child.stdout.on('data', ask);
  });
}

/**
 * Starts a redis-server on a free port of 127.0.0.1 (another when that one is
 * taken by the time the server binds), in a fresh temp dir, with no
 * persistence, requiring `options.password` when given. Resolves once it
 * answers PING; rejects with the end of its output when it does not within
 * 10 s, and with {@link redisServerMissing} when there is no redis-server.
 * Every server still running when the process exits is killed.
 */
export async function startRedisServer(options = {}) {
  const password = checkOptions(options);
  const file = redisServerPath();
  if (file === undefined) throw new Error(redisServerMissing());
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
