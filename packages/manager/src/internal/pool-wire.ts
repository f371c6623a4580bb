/**
 * How a `PoolProxy` call travels to the Pool in the manager's server: tasks
 * as their plain-data spec (a module URL and an export name, or a
 * self-contained function's source, checked by the caller as `Pool` checks
 * them), iterables as arrays, and options without what cannot cross a
 * socket (functions, an AbortSignal, a transfer list).
 */
import { taskRef, type Task } from '@multiprocessing/core';
import { loadTask, toTaskSpec } from '@multiprocessing/core/internal';

/** Options whose value is a task: sent as its spec. */
const TASK_OPTIONS = new Set(['initializer', 'finalizer']);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/**
 * The spec of `fn`, as `Pool` takes it.
 *
 * @throws {TypeError} when `fn` is neither a task reference nor a function.
 * @throws {PicklingError} for a function that refers to variables outside its body.
 */
export function taskToWire(fn: unknown, argName = 'fn'): unknown {
  return toTaskSpec(fn, argName);
}

/** `iterable` as an array (an array as it is); anything else as it is, for the Pool to refuse. */
export function itemsToWire(iterable: unknown, argName = 'iterable'): unknown {
  if (typeof iterable !== 'object' || iterable === null || Array.isArray(iterable)) return iterable;
  if (Symbol.iterator in iterable) return Array.from(iterable as Iterable<unknown>);
  if (Symbol.asyncIterator in iterable) {
    throw new TypeError(
      `${argName} must be an iterable: an async iterable cannot reach the manager's server; collect it into an array first`,
    );
  }
  return iterable;
}

/**
 * `options` as they can travel: tasks as specs, a context as its start
 * method, the rest as it is (the Pool in the server checks the values).
 *
 * @throws {TypeError} naming the option, for options that are not an object,
 *   a function (a callback), an AbortSignal (`signal`) or a `transfer` list.
 */
export function optionsToWire(options: unknown, argName = 'options'): Record<string, unknown> | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${argName} must be an object, got ${describe(options)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (TASK_OPTIONS.has(key)) {
      out[key] = value === null ? null : toTaskSpec(value, `${argName}.${key}`);
    } else if (key === 'context' && typeof value === 'object' && value !== null) {
      out[key] = { startMethod: (value as { startMethod?: unknown }).startMethod };
    } else if (typeof value === 'function' || key === 'signal' || key === 'transfer') {
      const what =
        typeof value === 'function' ? 'a function' : key === 'signal' ? 'an AbortSignal' : 'a transfer list';
      throw new TypeError(
        `${argName}.${key} cannot reach the manager's server, where the Pool runs: ${what} cannot travel there`,
      );
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Server side: the task a spec names (a TaskRef, or the compiled function
 * of a source spec).
 *
 * @throws {TypeError} naming the argument, for anything else.
 */
export function taskFromWire(spec: unknown, argName = 'fn'): Task | Promise<Task> {
  if (typeof spec === 'object' && spec !== null) {
    const s = spec as { kind?: unknown; url?: unknown; name?: unknown; source?: unknown };
    if (
      (s.kind === 'module' || s.kind === undefined) &&
      typeof s.url === 'string' &&
      typeof s.name === 'string'
    ) {
      return taskRef(s.url, s.name);
    }
    if (s.kind === 'source' && typeof s.source === 'string' && typeof s.name === 'string') {
      return loadTask({ kind: 'source', source: s.source, name: s.name });
    }
  }
  throw new TypeError(
    `${argName} must be a task reference (moduleRef/taskRef) or a self-contained function, got ${describe(spec)}`,
  );
}
