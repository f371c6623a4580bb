/**
 * Start methods and contexts. Mirrors `multiprocessing.context`:
 * `getContext(method)` returns an object whose `Process` starts children with
 * that method, and `setStartMethod()` / `getStartMethod()` change and read
 * the default ('thread'). `Pool` and `Manager` accept a context as `{context}`.
 */
import { StateError, type Task } from '@multiprocessing/core';
import { Process } from './process.js';
import {
  configureStartMethod,
  configuredStartMethod,
  defaultStartMethod,
  resolveStartMethod,
  startMethods,
  type StartMethod,
} from './internal/start-method.js';
import type { StartMethodName } from './start-method.js';

/** A start method bound to the classes that use it (Python's `get_context()` result). */
export interface Context {
  /** How children of this context start. */
  readonly startMethod: StartMethod;
  /** `Process`, starting its children with {@link Context.startMethod}. */
  readonly Process: typeof Process;
}

const contexts = new Map<StartMethod, Context>();

function contextFor(method: StartMethod): Context {
  const known = contexts.get(method);
  if (known !== undefined) return known;
  const Bound = class<T extends Task = Task> extends Process<T> {
    static override readonly startMethod: StartMethod | undefined = method;
  };
  Object.defineProperty(Bound, 'name', { value: 'Process' });
  const ctx: Context = Object.freeze({ startMethod: method, Process: Bound });
  contexts.set(method, ctx);
  return ctx;
}

/**
 * The context of `method`, or of the default start method when it is
 * omitted. Python's `'spawn'` and `'forkserver'` are aliases of `'process'`:
 * they return the `'process'` context (its `startMethod` is `'process'`).
 *
 * @throws {TypeError} when `method` is not a start method, or is `'fork'`
 *   (Node cannot fork a running process; use `'process'` or `'thread'`).
 * @example
 * const ctx = getContext('process');
 * const p = new ctx.Process({ target: tasks.work });
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.get_context
 */
export function getContext(method?: StartMethodName | null): Context {
  return contextFor(
    method === undefined || method === null ? getStartMethod() : resolveStartMethod(method, 'method'),
  );
}

/** Options of {@link setStartMethod}. */
export interface SetStartMethodOptions {
  /** Replace a start method that was already set. @default false */
  force?: boolean;
}

/**
 * Sets the default start method, once (call it under `isMainProcess()`).
 * `'spawn'` and `'forkserver'` set `'process'`.
 *
 * @throws {StateError} `context has already been set` on a second call without `force`.
 * @throws {TypeError} when `method` is not a start method, or is `'fork'`.
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.set_start_method
 */
export function setStartMethod(method: StartMethodName | null, options: SetStartMethodOptions = {}): void {
  const force = options.force ?? false;
  if (typeof force !== 'boolean') throw new TypeError('force must be a boolean');
  if (configuredStartMethod() !== undefined && !force) throw new StateError('context has already been set');
  configureStartMethod(method === null && force ? undefined : resolveStartMethod(method, 'method'));
}

/** Options of {@link getStartMethod}. */
export interface GetStartMethodOptions {
  /** Return `null` instead of the default when no method has been set. @default false */
  allowNone?: boolean;
}

/**
 * The default start method: the one set with {@link setStartMethod}, else
 * `'thread'`.
 *
 * @see https://docs.python.org/3/library/multiprocessing.html#multiprocessing.get_start_method
 */
export function getStartMethod(options: { allowNone: true }): StartMethod | null;
export function getStartMethod(options?: GetStartMethodOptions): StartMethod;
export function getStartMethod(options: GetStartMethodOptions = {}): StartMethod | null {
  if (configuredStartMethod() === undefined && options.allowNone === true) return null;
  return defaultStartMethod();
}

/** Every start method, the default first (Python's `get_all_start_methods()`). */
export function getAllStartMethods(): StartMethod[] {
  return [...startMethods];
}
