/**
 * Finds the suites in `dist/suites/`, orders them, and runs each one, by
 * default in a child process of its own: a suite that hangs, crashes or
 * leaves workers behind then costs only its own rows, and the run goes on.
 */
import { fork } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SuiteOutcome } from './report.js';
import type { BenchContext, BenchRow, BenchSuite } from './types.js';

/** Suites run in this order; any other suite follows, alphabetically. */
export const SUITE_ORDER: readonly string[] = ['codec', 'value-lock', 'queue', 'process', 'pool', 'manager'];

/** A compiled suite module; its id is its file name without `.js`. */
export interface SuiteFile {
  readonly id: string;
  readonly path: string;
}

/** Lists the `*.js` modules of `dir` in run order. */
export async function discoverSuites(dir: string): Promise<SuiteFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files = names
    .filter((n) => n.endsWith('.js'))
    .map((n) => ({ id: basename(n, '.js'), path: join(dir, n) }));
  const rank = (id: string): number => {
    const i = SUITE_ORDER.indexOf(id);
    return i < 0 ? SUITE_ORDER.length : i;
  };
  return files.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}

/**
 * Keeps the suites named in `ids` (all of them when `ids` is empty), in run
 * order. Throws a RangeError naming any unknown id and the known ones.
 */
export function selectSuites(all: readonly SuiteFile[], ids: readonly string[]): SuiteFile[] {
  if (ids.length === 0) return [...all];
  const known = new Set(all.map((s) => s.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new RangeError(
      `unknown suite ${unknown.join(', ')}; available: ${all.map((s) => s.id).join(', ') || '(none built)'}`,
    );
  }
  return all.filter((s) => ids.includes(s.id));
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

function isSuite(value: unknown): value is BenchSuite {
  const s = value as Partial<BenchSuite> | undefined;
  return typeof s === 'object' && s !== null && typeof s.id === 'string' && typeof s.run === 'function';
}

function checkRows(rows: unknown): BenchRow[] {
  if (!Array.isArray(rows)) throw new TypeError('run() must resolve to an array of rows');
  for (const row of rows as Partial<BenchRow>[]) {
    if (
      typeof row.figure !== 'string' ||
      typeof row.ours !== 'number' ||
      typeof row.higherIsBetter !== 'boolean'
    ) {
      throw new TypeError(`bad row ${JSON.stringify(row)}: figure, ours and higherIsBetter are required`);
    }
  }
  return rows as BenchRow[];
}

/** What a suite module produced, as sent from the child to the runner. */
export type SuiteMessage =
  | { readonly ok: true; readonly id: string; readonly title: string; readonly rows: BenchRow[] }
  | { readonly ok: false; readonly id?: string; readonly title?: string; readonly error: string };

/** Imports the module at `path` and runs its `suite`; never rejects. */
export async function loadAndRun(path: string, ctx: BenchContext): Promise<SuiteMessage> {
  let suite: BenchSuite | undefined;
  try {
    const mod = (await import(pathToFileURL(path).href)) as { suite?: unknown };
    if (!isSuite(mod.suite)) throw new TypeError(`${basename(path)} does not export a suite`);
    suite = mod.suite;
    return { ok: true, id: suite.id, title: suite.title, rows: checkRows(await suite.run(ctx)) };
  } catch (err) {
    return { ok: false, id: suite?.id, title: suite?.title, error: describeError(err) };
  }
}

/** Options of {@link runSuite}. */
export interface RunSuiteOptions {
  readonly quick: boolean;
  /** A suite still running after this long is killed and reported as timed out. */
  readonly timeoutMs: number;
  /**
   * Run in a child process (the default), or in this one (for debugging).
   * @default true
   */
  readonly isolate?: boolean;
  /** The child's entry module. @default dist/harness/suite-child.js */
  readonly childEntry?: string;
}

function outcome(file: SuiteFile, message: SuiteMessage, seconds: number): SuiteOutcome {
  return message.ok
    ? { id: message.id, title: message.title, rows: message.rows, seconds }
    : { id: message.id ?? file.id, title: message.title ?? file.id, rows: [], error: message.error, seconds };
}

/** Runs one suite; a failure becomes an outcome with `error`, never a rejection. */
export async function runSuite(file: SuiteFile, options: RunSuiteOptions): Promise<SuiteOutcome> {
  const t0 = performance.now();
  const elapsed = (): number => (performance.now() - t0) / 1000;
  if (options.isolate === false) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<SuiteMessage>((resolve) => {
      timer = setTimeout(() => {
        resolve({ ok: false, error: `timed out after ${String(options.timeoutMs / 1000)} s` });
      }, options.timeoutMs);
    });
    const message = await Promise.race([loadAndRun(file.path, { quick: options.quick }), timeout]);
    clearTimeout(timer);
    return outcome(file, message, elapsed());
  }
  const entry = options.childEntry ?? fileURLToPath(new URL('./suite-child.js', import.meta.url));
  const message = await new Promise<SuiteMessage>((resolve) => {
    let settled: SuiteMessage | undefined;
    // The child's stdout goes to our stderr, so that stdout is only the table.
    const child = fork(entry, [file.path, options.quick ? 'quick' : 'full'], {
      stdio: ['ignore', 2, 2, 'ipc'],
      serialization: 'advanced',
    });
    const timer = setTimeout(() => {
      settled ??= { ok: false, error: `timed out after ${String(options.timeoutMs / 1000)} s` };
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('message', (m: SuiteMessage) => {
      settled ??= m;
    });
    child.on('error', (err) => {
      settled ??= { ok: false, error: describeError(err) };
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(
        settled ?? {
          ok: false,
          error: `suite process exited with ${signal ?? `code ${String(code)}`} before reporting`,
        },
      );
    });
  });
  return outcome(file, message, elapsed());
}
