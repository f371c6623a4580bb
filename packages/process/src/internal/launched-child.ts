/**
 * What both kinds of child share on the parent's side (Python's `Popen`
 * base): the exit code once it has ended and its output is flushed, the
 * error that ended it, message listeners, terminate/kill, and the set of
 * live children that the parent's exit ends.
 */
import { constants } from 'node:os';
import type { Transferable } from 'node:worker_threads';
import { PicklingError } from '@multiprocessing/core';
import { deserializeError } from '@multiprocessing/core/internal';
import type { Launched } from './launch-types.js';
import { isRuntimeMessage, kRuntime } from './protocol.js';
import type { StartMethod } from './start-method.js';

const SIGTERM = -constants.signals.SIGTERM;
/** The exitcode of a child ended by SIGKILL (Python's negative signal number). */
export const SIGKILL = -constants.signals.SIGKILL;

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
export function flowUnpiped(stream: NodeJS.ReadableStream & { readableFlowing: boolean | null }): void {
  if (stream.readableFlowing !== true) stream.resume();
}

/**
 * What a launched child does under either start method: its exit,
 * exitcode, error and message listeners.
 */
export abstract class LaunchedChild implements Launched {
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

  abstract interrupt(): void;
  protected abstract end(code: number): void;
  abstract postMessage(message: unknown, transfer?: readonly Transferable[]): void;
  abstract ref(): void;
  abstract unref(): void;
}

/** A clone failure of the launch data, as the PicklingError the other packages throw. */
export function asPicklingError(err: unknown): unknown {
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
