/**
 * A child under 'process': a forked Node process running the bootstrap (on
 * Linux through setpriv, for the parent-death signal: parent-death.ts),
 * given its init data as the first IPC message, writing to our stdout and
 * stderr (or piped to `output`).
 */
import { fork, type ChildProcess, type Serializable } from 'node:child_process';
import { constants } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { entryPath } from './entry-path.js';
import type { LaunchOptions } from './launch-types.js';
import { asPicklingError, LaunchedChild, SIGKILL } from './launched-child.js';
import { forkCommand } from './parent-death.js';
import { kRuntime, type InitData, type InitMessage } from './protocol.js';

/** Node options that must not be passed on to a forked child. */
function childExecArgv(): string[] {
  return process.execArgv.filter((arg) => !/^--(inspect|debug)(-brk|-port|-wait)?(=|$)/.test(arg));
}

/** A child started as an OS process (`child_process.fork`), under the `'process'` start method. */
export class ProcessChild extends LaunchedChild {
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

  interrupt(): void {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGINT');
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

function ignoreSendError(): void {
  // A message to a child that has ended is dropped, as postMessage to an
  // ended worker is.
}
