/**
 * A child that runs one function: Python's `multiprocessing.Process`.
 * Differences: `join()` returns a Promise; there is no `kwargs` (pass an
 * object) and no `sentinel` (await `exited`); the target is a module
 * reference or a self-contained function; the child is a worker thread
 * unless the start method is 'process'. A subclass that overrides `run()`
 * is imported by the child from the module that exports it.
 */
import { constants } from 'node:os';
import { kInspect, StateError, type Task, type TaskArgs } from '@multiprocessing/core';
import {
  loadTask,
  raceTimeout,
  timeoutMs,
  toPostable,
  toTaskSpec,
  type TaskSpec,
} from '@multiprocessing/core/internal';
import { children } from './internal/children.js';
import { identityOf } from './internal/current.js';
import { entryUrl } from './internal/entry-path.js';
import { launch, type Launched } from './internal/launch.js';
import { classSpec, constructingModule, type ClassSpec } from './internal/process-class.js';
import { defaultStartMethod, type StartMethod } from './internal/start-method.js';

/** Options of {@link Process}. */
export interface ProcessOptions<T extends Task = Task> {
  /**
   * The function the child runs: a module reference
   * (`moduleRef(url).name`, `taskRef(url, name)`) or a self-contained
   * function. An async target is awaited. A subclass that overrides
   * `run()` may leave it out.
   */
  target?: T;
  /** The target's arguments. They are copied; shareables (Lock, Queue …) arrive live. @default [] */
  args?: TaskArgs<T>;
  /** The child's name. @default `Process-N`, N counting the Processes made in this thread */
  name?: string;
  /**
   * A daemon child is ended when the program ends; a non-daemon child keeps
   * the program alive until it finishes.
   * @default the creating process's own `daemon` flag (false in the main program)
   */
  daemon?: boolean;
}

/** What travels to the `process-target` entry. */
export interface TargetData {
  /** The target; undefined for a subclass made without one. */
  readonly task: TaskSpec | undefined;
  /** The args; for a subclass, `[args, fields]`. */
  readonly args: unknown;
  /** True when `args` holds nothing for fromPostable() to rebuild. */
  readonly plain: boolean;
  /** The subclass whose `run()` the child calls. */
  readonly cls?: ClassSpec;
}

// The Process a subclass's child runs `run()` on: its pid, ident and
// isAlive() are those of the running child, as Python's `_current_process`.
let running: Process | undefined;

/** @internal Marks `p` as the Process this child runs (the process-target entry). */
export function runAs(p: Process): void {
  running = p;
}

/** `-SIGTERM` for -15, as Python's repr shows a signal. */
function exitcodeText(code: number): string {
  if (code >= 0) return String(code);
  const name = Object.entries(constants.signals).find(([, n]) => n === -code)?.[0];
  return name === undefined ? String(code) : `-${name}`;
}

// Python's `_process_counter`: one count per creating process (thread here).
let counter = 0;

/** Whether `cls` (a Process class) has a `run()` of its own. */
function overridesRun(cls: { prototype: { run: unknown } }): boolean {
  return cls.prototype.run !== Process.prototype.run;
}

/**
 * A child thread or process that runs `target(...args)`, or the `run()` of
 * a subclass.
 *
 * @example
 * const tasks = moduleRef<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * const p = new Process({ target: tasks.greet, args: ['bob'] });
 * p.start();
 * await p.join();
 * console.log(p.exitcode); // 0
 * @example
 * // workers.js: the child imports the class from the module that exports it.
 * export class Greeter extends Process {
 *   who = 'bob';
 *   run() {
 *     console.log(`hello ${this.who}`);
 *   }
 * }
 * @see https://docs.python.org/3/library/multiprocessing.html#process-and-exceptions
 */
export class Process<T extends Task = Task> {
  /** The start method of this class (set on a context's Process); `undefined` uses the default. */
  static readonly startMethod: StartMethod | undefined = undefined;

  #name: string;
  #daemon: boolean;
  readonly #target: T | undefined;
  /** For a subclass that overrides run(): the module constructing it. */
  readonly #module: string | undefined;
  readonly #args: readonly unknown[];
  // Invariant: `#child` is undefined until start() succeeds, then never
  // changes; `#closed` is set once by close(). Exit state lives in #child.
  #child: Launched | undefined;
  #closed = false;
  // Invariant: `#exited` resolves with the exit code after start() and the
  // child's end; `#settle` hands it the child's promise in start().
  readonly #exited: Promise<number>;
  #settle!: (code: Promise<number>) => void;

  /**
   * @throws {TypeError} when `options` or one of its fields has the wrong
   *   type, or `target` is missing and the class does not override `run()`.
   */
  constructor(options?: ProcessOptions<T>) {
    const subclass = overridesRun(new.target);
    if (options === undefined && subclass) options = {};
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('options must be an object with a target');
    }
    const { target, args = [] as unknown as TaskArgs<T>, name, daemon } = options;
    if (target === undefined && subclass) {
      // run() is the subclass's own.
    } else if (typeof target !== 'function' && (typeof target !== 'object' || target === null)) {
      throw new TypeError(
        `target must be a function or a task reference (moduleRef/taskRef), got ${target === null ? 'null' : typeof target}`,
      );
    }
    if (!Array.isArray(args)) throw new TypeError('args must be an array');
    if (name !== undefined && typeof name !== 'string') throw new TypeError('name must be a string');
    if (daemon !== undefined && typeof daemon !== 'boolean') throw new TypeError('daemon must be a boolean');
    this.#target = target;
    this.#module = subclass ? constructingModule(new.target) : undefined;
    this.#args = [...(args as unknown[])];
    this.#name = name ?? `Process-${String(++counter)}`;
    this.#daemon = daemon ?? identityOf().daemon;
    this.#exited = new Promise<number>((resolve) => {
      this.#settle = resolve;
    });
  }

  #checkClosed(): void {
    if (this.#closed) throw new StateError('process object is closed');
  }

  /** The start method this Process uses at start(). */
  get startMethod(): StartMethod {
    return (
      (this.constructor as typeof Process).startMethod ?? this.#child?.startMethod ?? defaultStartMethod()
    );
  }

  /**
   * Starts the child. Call it at most once.
   *
   * @throws {StateError} `cannot start a process twice`, `process object is closed`,
   *   `daemonic processes are not allowed to have children`.
   * @throws {PicklingError} when the target is a function that refers to a
   *   variable outside its body, an argument or a field of a subclass cannot
   *   be sent (a function inside data), or a subclass that overrides `run()`
   *   is not exported by the module that defines it.
   */
  start(): void {
    this.#checkClosed();
    if (this.#child !== undefined) throw new StateError('cannot start a process twice');
    if (this === running) throw new StateError('cannot start a process twice');
    if (identityOf().daemon) throw new StateError('daemonic processes are not allowed to have children');
    const startMethod = this.startMethod;
    const crossProcess = startMethod === 'process';
    const task = this.#target === undefined ? undefined : toTaskSpec(this.#target, 'target');
    const args = toPostable(this.#args, 'args', { crossProcess });
    let data: TargetData = { task, args: args.value, plain: args.plain };
    let transfer = args.transfer;
    if (overridesRun(this.constructor)) {
      const cls = classSpec(this.constructor as typeof Process, this.#module);
      // The instance's own fields (Process keeps its state in private fields).
      const fields = toPostable(Object.fromEntries(Object.entries(this)), cls.name, { crossProcess });
      data = { task, args: [args.value, fields.value], plain: args.plain && fields.plain, cls };
      transfer = [...transfer, ...fields.transfer];
    }
    // Reap children that ended, as Python's start() does.
    for (const child of children) if (!child.isAlive()) children.delete(child);
    const child = launch({
      entry: entryUrl('process-target'),
      startMethod,
      name: this.#name,
      daemon: this.#daemon,
      data,
      transfer,
    });
    if (this.#daemon) child.unref();
    this.#child = child;
    children.add(this as Process);
    this.#settle(child.exited);
  }

  /**
   * Waits until the child ends, or until `timeout` seconds have passed; it
   * resolves either way (check `exitcode`). After the end it resolves at once.
   *
   * @param timeout - seconds; `undefined`/`null`/`Infinity` waits for ever, a negative value means 0.
   * @throws {StateError} `can only join a started process`, `process object is closed`.
   * @throws {TypeError} when `timeout` is not a number.
   * @throws {RangeError} when `timeout` is NaN.
   */
  async join(timeout?: number | null): Promise<void> {
    this.#checkClosed();
    const child = this.#child;
    if (child === undefined) throw new StateError('can only join a started process');
    const ms = timeoutMs(timeout);
    if (child.exitcode !== null) return;
    if (ms === 0) return;
    // While someone waits, even a daemon child keeps the program alive.
    child.ref();
    try {
      await raceTimeout(child.exited, ms, () => undefined);
    } finally {
      if (this.#daemon && child.exitcode === null) child.unref();
    }
  }

  /**
   * Whether the child has started and not ended yet.
   *
   * @throws {StateError} `process object is closed`.
   */
  isAlive(): boolean {
    this.#checkClosed();
    if (this === running) return true;
    return this.#child !== undefined && this.#child.exitcode === null;
  }

  /**
   * What the child runs: the target with the args. A subclass overrides it
   * (`class Worker extends Process { run() { … } }`) and the child calls
   * the override on a copy of the instance, and awaits what it returns.
   * Called directly, it runs in the calling thread, as in Python.
   */
  run(): void | Promise<void> {
    const target = this.#target;
    if (target === undefined) return undefined;
    const args = this.#args;
    return (async () => {
      const fn = typeof target === 'function' ? target : await loadTask(toTaskSpec(target, 'target'));
      await (fn as (...a: unknown[]) => unknown)(...args);
    })();
  }

  /**
   * Interrupts the child, as Python 3.14's `interrupt()` sends SIGINT: the
   * child ends with exit code 1 and a `KeyboardInterrupt` on stderr, unless
   * it listens for `'SIGINT'` itself (`process.on('SIGINT', …)`), and then
   * its listener decides. Under 'thread' the child gets no signal but the
   * same `'SIGINT'` event. The child hears it when its event loop runs, not
   * while it computes or blocks in a `…Sync` call. No effect before start()
   * or after the end.
   */
  interrupt(): void {
    this.#checkClosed();
    this.#child?.interrupt?.();
  }

  /** Ends the child now, like SIGTERM: `exitcode` becomes -15. No effect before start() or after the end. */
  terminate(): void {
    this.#checkClosed();
    this.#child?.terminate();
  }

  /** Ends the child now, like SIGKILL: `exitcode` becomes -9. No effect before start() or after the end. */
  kill(): void {
    this.#checkClosed();
    this.#child?.kill();
  }

  /**
   * Releases the Process object. Afterwards most members throw
   * `process object is closed`. Calling it again does nothing.
   *
   * @throws {StateError} while the child is running:
   *   `Cannot close a process while it is still running. You should first call join() or terminate().`
   */
  close(): void {
    if (this.#closed) return;
    if (this.#child !== undefined && this.#child.exitcode === null) {
      throw new StateError(
        'Cannot close a process while it is still running. You should first call join() or terminate().',
      );
    }
    this.#closed = true;
    children.delete(this as Process);
  }

  /** The exit code: `null` until the child ends, then 0, n for `exit(n)`, 1 for an error, -15/-9 after terminate()/kill(). */
  get exitcode(): number | null {
    this.#checkClosed();
    return this.#child?.exitcode ?? null;
  }

  /**
   * Resolves with the exit code when the child ends (Python's `sentinel`).
   * Awaiting it keeps the program alive until then, daemon or not.
   */
  get exited(): Promise<number> {
    this.#checkClosed();
    this.#child?.ref();
    return this.#exited;
  }

  /** The OS pid (the program's own pid under 'thread'); `null` before start(). */
  get pid(): number | null {
    this.#checkClosed();
    if (this === running) return identityOf().pid;
    return this.#child?.pid ?? null;
  }

  /** The thread id under 'thread', the pid under 'process'; `null` before start(). */
  get ident(): number | null {
    this.#checkClosed();
    if (this === running) return identityOf().ident;
    return this.#child?.ident ?? null;
  }

  /** The child's name (its `currentProcess().name`). */
  get name(): string {
    return this.#name;
  }

  /**
   * Renames the child.
   * @throws {TypeError} when `value` is not a string.
   */
  set name(value: string) {
    if (typeof value !== 'string') throw new TypeError('name must be a string');
    this.#name = value;
  }

  /** Whether the child is a daemon; settable before start() only. */
  get daemon(): boolean {
    return this.#daemon;
  }

  /**
   * Makes the child a daemon (ended when the parent exits) or not.
   * @throws {StateError} `process has already started` after start().
   * @throws {TypeError} when `value` is not a boolean.
   */
  set daemon(value: boolean) {
    this.#checkClosed();
    if (this.#child !== undefined) throw new StateError('process has already started');
    if (typeof value !== 'boolean') throw new TypeError('daemon must be a boolean');
    this.#daemon = value;
  }

  /** Python's repr: `<Process name='Process-1' parent=123 started daemon>`. */
  toString(): string {
    const child = this.#child;
    let status: string;
    if (this.#closed) status = 'closed';
    else if (child === undefined) status = 'initial';
    else if (child.exitcode === null) status = 'started';
    else status = 'stopped';
    const parts = [`name='${this.#name}'`];
    if (child !== undefined && !this.#closed && child.startMethod === 'process')
      parts.push(`pid=${String(child.pid)}`);
    parts.push(`parent=${String(process.pid)}`, status);
    if (child?.exitcode != null && !this.#closed) parts.push(`exitcode=${exitcodeText(child.exitcode)}`);
    if (this.#daemon) parts.push('daemon');
    return `<${(this.constructor as { name: string }).name} ${parts.join(' ')}>`;
  }

  /** `util.inspect` / `console.log` show {@link Process.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}
