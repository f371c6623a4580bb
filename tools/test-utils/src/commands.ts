/** Child programs a test runs: always bounded, never rejecting, output captured. */
import { execFile } from 'node:child_process';

export interface RunOptions {
  readonly cwd?: string;
  /** Killed (SIGKILL) after this long; stderr then ends with a line saying so. @default 60_000 */
  readonly timeoutMs?: number;
  /** Added to the parent's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface RunResult {
  /** The exit code, or null when a signal ended it (`signal` says which). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `file` with `args`; resolves once it has ended, whatever its exit. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        env: options.env === undefined ? process.env : { ...process.env, ...options.env },
      },
      (error, stdout, stderr) => {
        const failure = error as
          (Error & { code?: unknown; signal?: NodeJS.Signals | null; killed?: boolean }) | null;
        // A spawn failure (no such file) has a string code and no output: report it on stderr.
        const spawnFailed = failure !== null && typeof failure.code !== 'number' && failure.signal == null;
        // So is a run that hit the bound: a failing test then says what hung.
        const timedOut = failure?.killed === true && failure.signal === 'SIGKILL';
        const note = spawnFailed
          ? failure.message
          : timedOut
            ? `\n[test-utils] ${[file, ...args].join(' ')} did not end within ${String(timeoutMs)} ms: killed`
            : '';
        resolve({
          code: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null,
          signal: failure?.signal ?? null,
          stdout,
          stderr: `${stderr}${note}`,
        });
      },
    );
  });
}

/** Runs this Node with `args` (a script and its arguments, or flags first). */
export function runNode(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runCommand(process.execPath, args, options);
}

/**
 * Runs `check` in the main thread of a fresh Node, then in a worker thread of
 * it, and prints `{"main": …, "worker": …}` on stdout: `check` is the source
 * of an expression (CommonJS, `import()` allowed) whose value is a promise of
 * a structured-cloneable result.
 */
export function runInMainAndWorker(check: string, options: RunOptions = {}): Promise<RunResult> {
  const script = `
    const { Worker } = require('node:worker_threads');
    ${check}.then((main) => {
      const worker = new Worker(
        ${JSON.stringify(`${check}.then((r) => require('node:worker_threads').parentPort.postMessage(r));`)},
        { eval: true },
      );
      worker.once('message', (inWorker) => {
        console.log(JSON.stringify({ main, worker: inWorker }));
      });
    });
  `;
  return runNode(['-e', script], options);
}
