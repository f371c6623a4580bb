/**
 * The parent side of the worker runtime: starts a child (a worker thread or a
 * forked Node process) that runs the bootstrap and then an entry module.
 * Mirrors the `Popen` classes of Python's `multiprocessing.popen_*`: one
 * object per child with its pid, exit code and terminate/kill. Used by
 * `Process`, by pool workers and by the manager's server.
 */
import { fork, type ChildProcess, type Serializable } from 'node:child_process';
import { constants } from 'node:os';
import { Worker, isMainThread, type ResourceLimits, type Transferable } from 'node:worker_threads';
import { PicklingError } from '@multiprocessing/core';
import {
  deserializeError,
  kSharedBuffers,
  sharedBufferHandoff,
  toModuleUrl,
} from '@multiprocessing/core/internal';
import { identityOf } from './current.js';
import { checkEntryFiles, entryPath } from './entry-path.js';
import { loadersToCarry } from './loaders.js';
import { forkCommand } from './parent-death.js';
import { isRuntimeMessage, kRuntime, type InitData, type InitMessage } from './protocol.js';
import { checkStartMethod, type StartMethod } from './start-method.js';

/** What {@link launch} starts. */
export interface LaunchOptions {
  /** Absolute path or file: URL of the compiled entry module the child runs after the bootstrap. */
  entry: string | URL;
  startMethod: StartMethod;
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
  /** Whether this child keeps the parent's event loop alive (default: ref'd). */
  ref(): void;
  unref(): void;
}

const SIGTERM = -constants.signals.SIGTERM;
const SIGKILL = -constants.signals.SIGKILL;

// Invariant: every child that has not ended yet, so the parent can end the
// ones still running when it exits (no orphan OS processes).
const live = new Set<LaunchedChild>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // process.exit() cannot wait: a child still running now is ended, as
  // Python's atexit handler terminates daemonic children. Forked children
  // would also notice the IPC channel closing; this only makes it prompt.
  process.on('exit', () => {
    for (const child of live) child.terminate();
  });
}

/** Resolves when `stream` has handed everything written so far to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.write('', () => {
      resolve();
    });
  });
}

/**
 * Node pipes a worker's stdout/stderr into ours itself, so the stream is
 * already flowing. Deno lets the worker write to the file descriptors
 * directly and also pushes a copy of `process.stdout.write()` chunks onto a
 * stream that nobody reads: a paused stream never emits the 'end' that
 * `exited` waits for. Resuming it discards the copy (forwarding it would
 * print it twice) and lets 'end' come after the exit.
 */
function flowUnpiped(stream: NodeJS.ReadableStream & { readableFlowing: boolean | null }): void {
  if (stream.readableFlowing !== true) stream.resume();
}

abstract class LaunchedChild implements Launched {
  readonly name: string;
  abstract readonly startMethod: StartMethod;
  abstract readonly pid: number;
  abstract readonly ident: number;
  readonly exited: Promise<number>;

  // Invariant: `#exitcode` is null until `exited` resolves; set once, by
  // settle(). `forced` is the code terminate()/kill() asked for, and wins
  // over what the runtime reports (a terminated worker reports 1).
  #exitcode: number | null = null;
  #error: Error | undefined;
  #resolveExited!: (code: number) => void;
  protected forced: number | undefined;
  protected readonly listeners: ((message: unknown) => void)[] = [];

  constructor(name: string) {
    this.name = name;
    this.exited = new Promise<number>((resolve) => {
      this.#resolveExited = resolve;
    });
  }

  /** Called once the child exists: from now on the parent's exit ends it. */
  protected track(): void {
    live.add(this);
    installExitHook();
  }

  get exitcode(): number | null {
    return this.#exitcode;
  }

  get error(): Error | undefined {
    return this.#error;
  }

  protected dispatch(message: unknown): void {
    if (isRuntimeMessage(message)) {
      if (message[kRuntime] === 'error') this.#error = deserializeError(message.error);
      return;
    }
    for (const listener of this.listeners) listener(message);
  }

  /** Records an error that ended the child when the child could not report its own. */
  protected fallbackError(err: Error): void {
    this.#error ??= err;
  }

  protected settle(code: number): void {
    if (this.#exitcode !== null) return;
    live.delete(this);
    const final = this.forced ?? code;
    void Promise.all([drained(process.stdout), drained(process.stderr)]).then(() => {
      this.#exitcode = final;
      this.#resolveExited(final);
    });
  }

  onMessage(listener: (message: unknown) => void): void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    this.listeners.push(listener);
  }

  terminate(): void {
    this.end(SIGTERM);
  }

  kill(): void {
    this.end(SIGKILL);
  }

  protected abstract end(code: number): void;
  abstract postMessage(message: unknown, transfer?: readonly Transferable[]): void;
  abstract ref(): void;
  abstract unref(): void;
}

class ThreadChild extends LaunchedChild {
  readonly startMethod = 'thread' as const;
  readonly pid = process.pid;
  readonly ident: number;
  readonly #worker: Worker;
  #ended = false;

  constructor(options: LaunchOptions, init: InitData) {
    super(options.name);
    let worker: Worker;
    // Core in the child adopts the parent's shared buffers from workerData,
    // and those the parent learns later through the relay.
    const buffers = sharedBufferHandoff();
    const output = options.output;
    try {
      worker = new Worker(entryPath('bootstrap'), {
        workerData: { [kRuntime]: init, [kSharedBuffers]: buffers },
        transferList: [...(options.transfer ?? []), buffers.relay],
        resourceLimits: options.resourceLimits,
        name: options.name,
        ...(options.env !== undefined ? { env: { ...options.env } } : {}),
        ...(options.argv !== undefined ? { argv: [...options.argv] } : {}),
        ...(options.execArgv !== undefined ? { execArgv: [...options.execArgv] } : {}),
        // true: the output is ours to read, not piped into process.stdout/stderr.
        stdout: output !== undefined,
        stderr: output !== undefined,
      });
    } catch (err) {
      buffers.relay.close();
      throw asPicklingError(err);
    }
    this.#worker = worker;
    this.track();
    this.ident = worker.threadId;
    // Node pipes the worker's output into ours without keeping the event
    // loop alive (a stream we read ourselves would). `exited` waits for the
    // end of both streams, i.e. until the last chunk has been written to ours.
    let open = 3;
    let code = 1;
    const done = (): void => {
      if (--open === 0) this.settle(code);
    };
    if (output === undefined) {
      flowUnpiped(worker.stdout);
      flowUnpiped(worker.stderr);
    } else {
      worker.stdout.on('data', (chunk: Buffer | string) => {
        output('stdout', chunk);
      });
      worker.stderr.on('data', (chunk: Buffer | string) => {
        output('stderr', chunk);
      });
    }
    worker.stdout.once('end', done);
    worker.stderr.once('end', done);
    worker.on('message', (message: unknown) => {
      this.dispatch(message);
    });
    worker.on('error', (err: Error) => {
      this.fallbackError(err);
    });
    worker.once('exit', (exitCode: number) => {
      this.#ended = true;
      code = exitCode;
      done();
    });
  }

  postMessage(message: unknown, transfer?: readonly Transferable[]): void {
    this.#worker.postMessage(message, transfer === undefined ? undefined : [...transfer]);
  }

  protected end(code: number): void {
    if (this.#ended || this.forced !== undefined) return;
    this.forced = code;
    void this.#worker.terminate();
  }

  ref(): void {
    this.#worker.ref();
  }

  unref(): void {
    this.#worker.unref();
  }
}

/** Node options that must not be passed on to a forked child. */
function childExecArgv(): string[] {
  return process.execArgv.filter((arg) => !/^--(inspect|debug)(-brk|-port|-wait)?(=|$)/.test(arg));
}

class ProcessChild extends LaunchedChild {
  readonly startMethod = 'process' as const;
  readonly pid: number;
  readonly ident: number;
  readonly #child: ChildProcess;

  constructor(options: LaunchOptions, init: InitData) {
    super(options.name);
    // The child writes straight to our stdout/stderr file descriptors, so its
    // output is there before it exits. A worker thread's process.stdout is
    // not a file descriptor, so there the output is piped and forwarded.
    // With `output`, it is piped and handed to that function instead.
    const output = options.output;
    const inherit = isMainThread && output === undefined;
    const command = forkCommand([...childExecArgv(), ...(options.execArgv ?? [])]);
    const child = fork(entryPath('bootstrap'), [...(options.argv ?? [])], {
      serialization: 'advanced',
      ...(command.execPath !== undefined ? { execPath: command.execPath } : {}),
      execArgv: command.execArgv,
      ...(options.env !== undefined ? { env: { ...options.env } } : {}),
      stdio: inherit ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.#child = child;
    this.track();
    this.pid = child.pid ?? -1;
    this.ident = this.pid;
    if (output === undefined) {
      child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk));
      child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    } else {
      child.stdout?.on('data', (chunk: Buffer) => {
        output('stdout', chunk);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output('stderr', chunk);
      });
    }
    child.on('message', (message: unknown) => {
      this.dispatch(message);
    });
    child.on('error', (err: Error) => {
      // A failed spawn or a send on a closed channel; the exit event follows
      // a spawn failure, and a send to a child that ended is dropped.
      if (child.pid === undefined) {
        this.fallbackError(err);
        this.settle(1);
      }
    });
    let exitCode = 1;
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal === null ? 1 : -constants.signals[signal]);
    });
    // 'close' comes after 'exit', once stdio and the IPC channel are drained,
    // so a report sent just before the child exited has been dispatched.
    child.once('close', () => {
      this.settle(exitCode);
    });
    const message: InitMessage = {
      [kRuntime]: 'init',
      init: { ...init, parentDeathSignal: command.parentDeathSignal },
    };
    try {
      child.send(message);
    } catch (err) {
      child.kill('SIGKILL');
      throw asPicklingError(err);
    }
  }

  postMessage(message: unknown): void {
    if (!this.#child.connected) return;
    this.#child.send(message as Serializable, ignoreSendError);
  }

  protected end(code: number): void {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    if (this.forced !== undefined && code !== SIGKILL) return;
    this.forced = code;
    this.#child.kill(code === SIGKILL ? 'SIGKILL' : 'SIGTERM');
  }

  // Bun's parent-side channel has no ref()/unref(); child.ref()/unref()
  // alone decide there.
  ref(): void {
    this.#child.ref();
    this.#child.channel?.ref?.();
  }

  unref(): void {
    this.#child.unref();
    this.#child.channel?.unref?.();
  }
}

/** A clone failure of the launch data, as the PicklingError the other packages throw. */
function asPicklingError(err: unknown): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (
    !/could not be cloned|DataCloneError/.test(`${message} ${(err as { name?: string } | null)?.name ?? ''}`)
  )
    return err;
  return new PicklingError(
    `data cannot be sent to the child: ${message}. Use toPostable(value, label, { crossProcess }) from @multiprocessing/core to check it first`,
    { cause: err },
  );
}

function ignoreSendError(): void {
  // A message to a child that has ended is dropped, as postMessage to an
  // ended worker is.
}

/**
 * Starts a child that runs the bootstrap and then `options.entry`.
 *
 * @throws {TypeError} when an option has the wrong type.
 * @throws {PicklingError} when `data` cannot be cloned for the child.
 */
export function launch(options: LaunchOptions): Launched {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const entry = toModuleUrl(options.entry, 'entry');
  checkEntryFiles(entry);
  const startMethod = checkStartMethod(options.startMethod, 'startMethod');
  if (typeof options.name !== 'string' || options.name === '') {
    throw new TypeError('name must be a non-empty string');
  }
  if (options.daemon !== undefined && typeof options.daemon !== 'boolean') {
    throw new TypeError('daemon must be a boolean');
  }
  if (options.output !== undefined && typeof options.output !== 'function') {
    throw new TypeError('output must be a function');
  }
  const me = identityOf();
  const init: InitData = {
    name: options.name,
    daemon: options.daemon ?? false,
    startMethod,
    authkey: me.authkey,
    parent: { name: me.name, pid: process.pid },
    entry,
    loaders: startMethod === 'thread' ? loadersToCarry() : [],
    parentDeathSignal: false,
    data: options.data,
  };
  return startMethod === 'thread' ? new ThreadChild(options, init) : new ProcessChild(options, init);
}
