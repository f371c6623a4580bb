/**
 * Node child processes for suites that need whole processes (cluster hosts,
 * queue workers, a redis-server keeper). A child runs a fixture, writes one
 * JSON line on stdout once it is ready, and ends when its stdin closes: that
 * pipe is its lifeline, so it also ends when the suite process is killed
 * (the runner's timeout) and nothing outlives the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A child started by {@link startChild}. */
export interface Child {
  readonly pid: number;
  /** The JSON line it wrote once ready. */
  readonly ready: unknown;
  /** Resolves with its exit code, or the signal's name. */
  readonly exited: Promise<number | string>;
  /**
   * Closes its stdin (it then ends on its own), waits up to `ms` for its
   * exit, then SIGKILLs it and waits again. Idempotent.
   */
  stop(ms?: number): Promise<void>;
}

/** Options of {@link startChild}. */
export interface StartChildOptions {
  /**
   * How long the child may take to write its ready line, ms.
   * @default 20 000
   */
  readonly readyMs?: number;
  /** What the child is, for error messages. @default the fixture's file name */
  readonly what?: string;
}

const kStopMs = 10_000;
const kTail = 4_000;

function exitOf(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(child.exitCode ?? child.signalCode ?? 'unknown');
      return;
    }
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
    });
  });
}

/** Resolves with `promise`, or to `fallback` after `ms`. */
function orAfter<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      resolve(fallback);
    }, ms);
  });
  return Promise.race([promise, late]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * Runs `node <fixture> ...args` and resolves once it has written its first
 * stdout line, parsed as JSON. Rejects (and kills the child) when it exits
 * first, writes something that is not JSON, or stays silent for `readyMs`.
 * Its stderr goes to ours.
 *
 * @throws {TypeError} a fixture that is not a `file:` URL.
 */
export async function startChild(
  fixture: URL,
  args: readonly string[],
  options: StartChildOptions = {},
): Promise<Child> {
  if (!(fixture instanceof URL) || fixture.protocol !== 'file:') {
    throw new TypeError('fixture must be a file: URL');
  }
  const what = options.what ?? fixtureName(fixture);
  const child = spawn(process.execPath, [fileURLToPath(fixture), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = exitOf(child);
  let stopping: Promise<void> | undefined;
  const stop = (ms = kStopMs): Promise<void> =>
    (stopping ??= (async () => {
      child.stdin?.end();
      if ((await orAfter(exited, ms, undefined)) === undefined) {
        child.kill('SIGKILL');
        await exited;
      }
    })());
  child.stdin?.on('error', () => undefined);
  let out = '';
  const line = new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      out = (out + chunk).slice(-kTail);
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    });
    void exited.then((code) => {
      reject(new Error(`${what} exited with ${String(code)} before it was ready${tail(out)}`));
    });
  });
  const readyMs = options.readyMs ?? 20_000;
  const first = await orAfter(line, readyMs, undefined).catch(async (err: unknown) => {
    await stop(0);
    throw err;
  });
  if (first === undefined) {
    await stop(0);
    throw new Error(`${what} was not ready within ${String(readyMs)} ms${tail(out)}`);
  }
  let ready: unknown;
  try {
    ready = JSON.parse(first);
  } catch {
    await stop(0);
    throw new Error(`${what} wrote ${JSON.stringify(first)} where a JSON line was expected`);
  }
  return { pid: child.pid ?? 0, ready, exited, stop };
}

function fixtureName(fixture: URL): string {
  return fixture.pathname.split('/').pop() ?? fixture.href;
}

function tail(out: string): string {
  return out.trim() === '' ? '' : `; its output: ${out.trim()}`;
}
