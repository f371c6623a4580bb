/**
 * `dummy`: Python's `multiprocessing.dummy`, the same API over the calling
 * thread. Python's dummy module runs its "processes" as threads that share
 * the program's objects; here they run in the caller's own thread (its event
 * loop interleaves them at each `await`), so targets may be closures and
 * arguments are never copied. `Pool` is {@link ThreadPool}; the queues, the
 * pipe and the locks are the package's own, which work within one thread.
 * Use it for I/O-bound work written in Python's style; CPU-bound work needs
 * a real `Process` or `Pool`.
 *
 * @example
 * import { dummy } from '@multiprocessing/pool';
 * const q = new dummy.Queue<string>();
 * const p = new dummy.Process({ target: async (x: string) => q.put(x.toUpperCase()), args: ['hi'] });
 * p.start();
 * await p.join();
 * console.log(await q.get()); // HI
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { kInspect, StateError } from '@multiprocessing/core';
import { raceTimeout, timeoutMs } from '@multiprocessing/core/internal';
import { currentProcess as realCurrentProcess, type CurrentProcess } from '@multiprocessing/process';
import { arrayModuleType } from '@multiprocessing/value-lock/internal';
import * as self from './dummy.js';

export { ThreadPool as Pool } from './thread-pool.js';
export {
  Lock,
  RLock,
  Semaphore,
  BoundedSemaphore,
  Condition,
  Event,
  Barrier,
} from '@multiprocessing/value-lock';
export { Queue, JoinableQueue, Pipe } from '@multiprocessing/queue';
export { freezeSupport, cpuCount } from '@multiprocessing/process';

/** Options of a dummy {@link Process}. */
export interface DummyProcessOptions {
  /** Called by `run()` with `args`; a function (a closure is fine: nothing leaves the thread). */
  target?: ((...args: never[]) => unknown) | null;
  /** Arguments of `target`, passed as they are. @default [] */
  args?: readonly unknown[];
  /** @default `Dummy-N` */
  name?: string;
  /** Recorded, as Python's; a dummy process never keeps the program alive by itself. @default false */
  daemon?: boolean;
}

const running = new AsyncLocalStorage<Process>();
const alive = new Set<Process>();
let counter = 0;

/**
 * A "process" that runs `target` in this thread: Python's `DummyProcess`.
 * `start()` begins `run()` at the next turn of the event loop; `join()`
 * waits for it to end. An error thrown by `target` is printed to stderr, as
 * Python prints a thread's, and `exitcode` is still 0, as in Python.
 */
export class Process {
  /** The name (Python's `name`). */
  name: string;
  /** Recorded only (Python's `daemon`). */
  daemon: boolean;
  readonly #target: ((...args: never[]) => unknown) | undefined;
  readonly #args: readonly unknown[];
  #ended: Promise<void> | undefined;
  #done = false;

  /** @throws {TypeError} a target that is not a function, or args that are not an array. */
  constructor(options: DummyProcessOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    const { target, args = [], name, daemon = false } = options;
    if (target !== undefined && target !== null && typeof target !== 'function') {
      throw new TypeError('target must be a function');
    }
    if (!Array.isArray(args)) throw new TypeError('args must be an array');
    if (name !== undefined && typeof name !== 'string') throw new TypeError('name must be a string');
    this.#target = target ?? undefined;
    this.#args = args;
    this.name = name ?? `Dummy-${String(++counter)}`;
    this.daemon = daemon;
  }

  /** Calls `target(...args)`; override it in a subclass, as Python's `run()`. */
  run(): unknown {
    return this.#target?.(...(this.#args as never[]));
  }

  /**
   * Starts `run()` at the next turn of the event loop.
   *
   * @throws {StateError} `cannot start a process twice`.
   */
  start(): void {
    if (this.#ended !== undefined) throw new StateError('cannot start a process twice');
    alive.add(this);
    this.#ended = new Promise<void>((resolve) => {
      setImmediate(() => {
        void running.run(this, async () => {
          try {
            await this.run();
          } catch (err) {
            process.stderr.write(
              `Exception in ${this.name}:\n${err instanceof Error ? (err.stack ?? String(err)) : String(err)}\n`,
            );
          } finally {
            this.#done = true;
            alive.delete(this);
            resolve();
          }
        });
      });
    });
  }

  /**
   * Resolves when `run()` has ended, or after `timeout` seconds.
   *
   * @throws {StateError} `can only join a started process`.
   */
  async join(timeout?: number | null): Promise<void> {
    const ended = this.#ended;
    if (ended === undefined) throw new StateError('can only join a started process');
    await raceTimeout(ended, timeoutMs(timeout), () => undefined);
  }

  /** True between `start()` and the end of `run()`. */
  isAlive(): boolean {
    return this.#ended !== undefined && !this.#done;
  }

  /** `null` until `run()` has ended, then 0 (as Python's dummy processes). */
  get exitcode(): number | null {
    return this.#done ? 0 : null;
  }

  /** `<DummyProcess(Dummy-1, started)>`: initial, started or stopped. */
  toString(): string {
    const state = this.#ended === undefined ? 'initial' : this.#done ? 'stopped' : 'started';
    return `<DummyProcess(${this.name}, ${state})>`;
  }

  /** `util.inspect` / `console.log` show {@link Process.toString}. */
  [kInspect](): string {
    return this.toString();
  }
}

/** The dummy process whose `run()` is running (through its awaits), else the real current process. */
export function currentProcess(): Process | CurrentProcess {
  return running.getStore() ?? realCurrentProcess();
}

/** The dummy processes started and not yet ended. */
export function activeChildren(): Process[] {
  return [...alive];
}

/** Python's dummy `Value`: a typecode and a plain `value`, no lock and no shared memory. */
export class Value<T = unknown> {
  /** The value. */
  value: T;
  /** Recorded only, as in Python. */
  readonly typecode: string;

  constructor(typecode: string, value: T) {
    this.typecode = typecode;
    this.value = value;
  }

  /** `<Value('i', 4)>`. */
  toString(): string {
    return `<Value('${this.typecode}', ${String(this.value)})>`;
  }
}

/**
 * Python's dummy `Array(typecode, sequence)`, which is `array.array`: a typed
 * array of `sequence` (an `Int32Array` for `'i'` …), in this thread's memory.
 *
 * @throws {RangeError} `bad typecode …` for a typecode `array.array` does not have (`c` among them).
 * @throws {TypeError} a sequence that is not iterable.
 */
function makeArray(typecode: string, sequence: Iterable<number | bigint>): ArrayLike<unknown> {
  const View = arrayModuleType(typecode, () => `'${typecode}'`);
  if (typeof (sequence as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] !== 'function') {
    throw new TypeError('sequence must be iterable');
  }
  return View.from(sequence as Iterable<never>);
}
export { makeArray as Array };

/** Python's dummy `Namespace`: an object whose attributes are its options. */
export class Namespace {
  /** Copies `attributes` onto the namespace. */
  constructor(attributes: Record<string, unknown> = {}) {
    Object.assign(this, attributes);
  }
}

/** Python's dummy `list`: a plain array of `iterable`. */
export function list<T>(iterable: Iterable<T> = []): T[] {
  return [...iterable];
}

/** Python's dummy `dict`: a `Map` of `entries`. */
export function dict<K, V>(entries: Iterable<readonly [K, V]> = []): Map<K, V> {
  return new Map(entries);
}

/** Python's dummy `Manager()`: this module itself, whose `list`, `dict`, `Namespace`, `Queue`, locks … are in-thread objects. */
export function Manager(): typeof self {
  return self;
}
