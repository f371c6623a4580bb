/**
 * What `launch()` (launch.ts) takes, and the child it returns as its
 * parent sees it: the shapes every user of the runtime (`Process`, pool
 * workers, the manager's server) programs against.
 */
import type { ResourceLimits, Transferable } from 'node:worker_threads';
import type { StartMethod } from './start-method.js';

/** What `launch()` starts. */
export interface LaunchOptions {
  /** Absolute path or file: URL of the compiled entry module the child runs after the bootstrap. */
  entry: string | URL;
  startMethod: StartMethod;
  /**
   * 'thread': start the worker on `entry` itself instead of on the
   * bootstrap, saving the bootstrap's module-loading phase. The entry must
   * then do the bootstrap's work first: await `startChildEntry()` (from
   * `@multiprocessing/process/internal/child`) before anything reads the
   * launch data or `currentProcess()`. 'process' ignores it (a forked child
   * always starts on the bootstrap, and `startChildEntry()` does nothing
   * there). Internal: for the pool's worker entry. @default false
   */
  entryBootstraps?: boolean;
  /** The child's currentProcess().name, e.g. 'PoolWorker-3' or 'Process-1'. */
  name: string;
  /** Data the entry reads with getLaunchData(); structured clone ('process': v8 'advanced' serialization). */
  data?: unknown;
  /** Transfer list for `data` (thread only). */
  transfer?: readonly Transferable[];
  /** Worker resourceLimits (thread only). */
  resourceLimits?: ResourceLimits;
  /** The child's currentProcess().daemon. @default false */
  daemon?: boolean;
  /** The child's `process.env` (replaces it). @default process.env */
  env?: Readonly<Record<string, string>>;
  /** Strings appended to the child's `process.argv`. */
  argv?: readonly string[];
  /**
   * Node options of the child. 'thread': the Worker's `execArgv` (it replaces
   * the options the thread inherits; Node refuses process-wide options);
   * 'process': appended to the options the child inherits.
   */
  execArgv?: readonly string[];
  /**
   * Takes the child's stdout and stderr: each chunk it writes goes here
   * instead of to ours. `exited` still waits until the last chunk has been
   * handed over. @default undefined (the child writes to ours)
   */
  output?: (stream: 'stdout' | 'stderr', chunk: Buffer | string) => void;
}

/** A launched child, seen from its parent. */
export interface Launched {
  readonly name: string;
  readonly startMethod: StartMethod;
  /** OS pid: the parent's under 'thread', the child's under 'process'. */
  readonly pid: number;
  /** The worker's threadId under 'thread', the child's pid under 'process'. */
  readonly ident: number;
  /** null until the child ends. Python-style: n for exit(n), 1 for an uncaught error, -15 after terminate(), -9 after kill(), -N for signal N. */
  readonly exitcode: number | null;
  /** Resolves with the exit code once the child has ended AND its stdout/stderr output has been flushed to ours. */
  readonly exited: Promise<number>;
  /** The uncaught error that ended the child, if any (rebuilt with its class and the child's stack). */
  readonly error: Error | undefined;
  /** Posts to the entry's parentChannel (runtime control messages are namespaced and never reach listeners). */
  postMessage(message: unknown, transfer?: readonly Transferable[]): void;
  /** Adds a listener for the entry's messages. */
  onMessage(listener: (message: unknown) => void): void;
  /** SIGTERM semantics: ends the child now; exitcode -15. */
  terminate(): void;
  /** SIGKILL semantics: ends the child now; exitcode -9. */
  kill(): void;
  /** SIGINT under 'process'; under 'thread', a message the child turns into a 'SIGINT' event (a Process child). */
  interrupt?(): void;
  /** Whether this child keeps the parent's event loop alive (default: ref'd). */
  ref(): void;
  unref(): void;
}
