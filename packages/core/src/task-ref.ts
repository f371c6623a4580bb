/**
 * Task references: how a function reaches a worker. Python
 * pickles a function by module and qualified name; we do the same with a
 * module URL and an export name ({@link moduleRef}, {@link taskRef}), or send
 * a self-contained function as source text, refusing closures with a
 * PicklingError on the caller's side.
 */
import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PicklingError } from './errors.js';
import { freeVariables } from './internal/free-variables.js';
import { workerGlobals } from './internal/worker-globals.js';

/** Any function: the bound of the function type a {@link TaskRef} refers to. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (...args: any[]) => unknown;

const kTaskRef = Symbol.for('@multiprocessing/task-ref');

/**
 * A typed reference to a function exported by a module. The worker imports
 * the module and calls the export by name.
 */
export interface TaskRef<F extends AnyFunction = AnyFunction> {
  /** `file:` URL of the module. */
  readonly url: string;
  /** The export's name. */
  readonly name: string;
  /** Phantom: the function's type, for inference only. */
  readonly __type?: F;
}

/** Every function export of module type `M`, as a TaskRef. */
export type ModuleRef<M> = {
  readonly [K in keyof M as M[K] extends AnyFunction ? K : never]: M[K] extends AnyFunction
    ? TaskRef<M[K]>
    : never;
};

/** What a task may be: a reference or a self-contained function. */
export type Task<F extends AnyFunction = AnyFunction> = TaskRef<F> | F;

/** The function type behind a {@link Task}. */
export type TaskFn<T> = T extends TaskRef<infer F> ? F : T extends AnyFunction ? T : never;

/** The awaited result of a task. */
export type TaskResult<T> = Awaited<ReturnType<TaskFn<T>>>;

/** The argument tuple of a task. */
export type TaskArgs<T> = Parameters<TaskFn<T>>;

/** The plain-data form of a task, as it travels to a worker. */
export type TaskSpec =
  | { readonly kind: 'module'; readonly url: string; readonly name: string }
  | { readonly kind: 'source'; readonly source: string; readonly name: string };

/** The `file:` URL of a module given as a URL, a `file:` URL string or an absolute path. */
export function toModuleUrl(url: unknown, argName = 'url'): string {
  if (
    url instanceof URL ||
    (typeof url === 'object' && url !== null && typeof (url as URL).href === 'string')
  ) {
    const href = (url as URL).href;
    if (!href.startsWith('file:')) throw new TypeError(`${argName} must be a file: URL, got ${href}`);
    return href;
  }
  if (typeof url !== 'string' || url === '') {
    throw new TypeError(`${argName} must be a URL, a file: URL string or an absolute path`);
  }
  if (url.startsWith('file:')) return new URL(url).href;
  if (isAbsolute(url)) return pathToFileURL(url).href;
  throw new TypeError(
    `${argName} must be a URL, a file: URL string or an absolute path, got '${url}'; use new URL('./tasks.js', import.meta.url)`,
  );
}

class TaskReference implements TaskRef {
  declare readonly [kTaskRef]: true;
  constructor(
    readonly url: string,
    readonly name: string,
  ) {
    Object.defineProperty(this, kTaskRef, { value: true });
  }

  toString(): string {
    return `taskRef(${this.url}#${this.name})`;
  }
}

/**
 * A reference to one export of a module.
 *
 * @example
 * const square = taskRef<(x: number) => number>(new URL('./tasks.js', import.meta.url), 'square');
 */
export function taskRef<F extends AnyFunction = AnyFunction>(url: URL | string, name: string): TaskRef<F> {
  const href = toModuleUrl(url);
  if (typeof name !== 'string' || name === '') throw new TypeError('name must be a non-empty string');
  return new TaskReference(href, name) as TaskRef<F>;
}

/**
 * A typed handle on a module's exports: each property is a TaskRef.
 *
 * @example
 * const tasks = moduleRef<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * await pool.map(tasks.square, [1, 2, 3]);
 */
export function moduleRef<M>(url: URL | string): ModuleRef<M> {
  const href = toModuleUrl(url);
  const cache = new Map<string, TaskRef>();
  return new Proxy(Object.create(null) as ModuleRef<M>, {
    get(_target, prop) {
      // Not thenable, so `await moduleRef(...)` does not try to call it.
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      let ref = cache.get(prop);
      if (ref === undefined) {
        ref = new TaskReference(href, prop);
        cache.set(prop, ref);
      }
      return ref;
    },
  });
}

/** True when `value` is a TaskRef (from this realm or sent as plain data). */
export function isTaskRef(value: unknown): value is TaskRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as TaskRef).url === 'string' &&
    typeof (value as TaskRef).name === 'string' &&
    ((value as Record<symbol, unknown>)[kTaskRef] === true ||
      (value as { kind?: unknown }).kind === undefined)
  );
}

const specCache = new WeakMap<AnyFunction, TaskSpec>();

/** Turns function source into an expression that evaluates to the function. */
function normalizeSource(fn: AnyFunction, argName: string): string {
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new PicklingError(
      `${argName}: ${fn.name === '' ? 'a native or bound function' : `native or bound function ${fn.name}`} cannot be sent to a worker; wrap it in a self-contained function, e.g. (x) => Math.sqrt(x)`,
    );
  }
  if (/^class\b/.test(source)) {
    throw new PicklingError(`${argName}: a class cannot be used as a task; export a function instead`);
  }
  if (/^(async\s+)?function\b/.test(source) || /^(async\s*)?(\(|[\w$]+\s*=>)/.test(source)) {
    return source;
  }
  // A method: `name(x) {…}`, `async name(x) {…}`, `*gen() {…}`, `[k](x) {…}`.
  const m = /^(async\s+)?(\*\s*)?/.exec(source);
  const prefix = m?.[0] ?? '';
  const rest = source.slice(prefix.length);
  if (rest.startsWith('get ') || rest.startsWith('set ')) {
    throw new PicklingError(`${argName}: an accessor cannot be used as a task`);
  }
  const body = rest.startsWith('[') ? `anonymous${rest.slice(rest.indexOf(']') + 1)}` : rest;
  return `${prefix.includes('async') ? 'async ' : ''}function${prefix.includes('*') ? '*' : ''} ${body}`;
}

/**
 * The plain-data form of a task, checked on the caller's side.
 *
 * @param argName - names the argument in errors (`target`, `fn`, `func`).
 * @throws {TypeError} when `task` is neither a TaskRef nor a function.
 * @throws {PicklingError} when a function refers to a variable outside its
 *   own body, or cannot be sent as source.
 */
export function toTaskSpec(task: unknown, argName = 'fn'): TaskSpec {
  if (typeof task === 'function') {
    const fn = task as AnyFunction;
    let spec = specCache.get(fn);
    if (spec !== undefined) return spec;
    const source = normalizeSource(fn, argName);
    let free: string[];
    try {
      free = freeVariables(source);
    } catch (cause) {
      throw new PicklingError(
        `${argName}: the source of function ${fn.name || '(anonymous)'} cannot be parsed`,
        {
          cause,
        },
      );
    }
    const outer = free.filter((name) => !workerGlobals.has(name));
    if (outer.length > 0) {
      const list = outer.map((n) => `'${n}'`).join(', ');
      const fnName = fn.name === '' ? 'an anonymous function' : `function ${fn.name}`;
      throw new PicklingError(
        `${argName}: ${fnName} refers to ${list}, ${outer.length === 1 ? 'a variable' : 'variables'} outside its own body. ` +
          'A function sent to a worker travels as source text and loses its closure. ' +
          `Fix: pass ${list} as ${outer.length === 1 ? 'an argument' : 'arguments'}, or export the function from a module ` +
          "and pass moduleRef<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url))." +
          (fn.name === '' ? 'yourFunction' : fn.name) +
          ' instead.',
      );
    }
    spec = { kind: 'source', source, name: fn.name };
    specCache.set(fn, spec);
    return spec;
  }
  if (isTaskRef(task)) {
    return { kind: 'module', url: toModuleUrl(task.url, `${argName}.url`), name: task.name };
  }
  throw new TypeError(
    `${argName} must be a function or a task reference (moduleRef/taskRef), got ${task === null ? 'null' : typeof task}`,
  );
}

const loaded = new Map<string, Promise<AnyFunction>>();

async function load(spec: TaskSpec): Promise<AnyFunction> {
  if (spec.kind === 'source') {
    // Indirect eval: the function is compiled in the worker's global scope.
    const fn: unknown = (0, eval)(`(${spec.source})`);
    if (typeof fn !== 'function') throw new TypeError(`task source did not evaluate to a function`);
    return fn as AnyFunction;
  }
  const mod = (await import(spec.url)) as Record<string, unknown>;
  let fn = mod[spec.name];
  if (
    fn === undefined &&
    spec.name !== 'default' &&
    typeof mod.default === 'object' &&
    mod.default !== null
  ) {
    // A CommonJS module imported from ESM exposes its exports on `default`.
    fn = (mod.default as Record<string, unknown>)[spec.name];
  }
  if (typeof fn !== 'function') {
    throw new TypeError(`module ${fileURLToPath(spec.url)} has no exported function '${spec.name}'`);
  }
  return fn as AnyFunction;
}

/** A key that identifies a task spec (for caches and protocol messages). */
export function taskKey(spec: TaskSpec): string {
  return spec.kind === 'module' ? `m:${spec.url}#${spec.name}` : `s:${spec.source}`;
}

/**
 * Worker side: the function a spec names, imported or compiled once per
 * thread and cached.
 */
export function loadTask(spec: TaskSpec): Promise<AnyFunction> {
  const key = taskKey(spec);
  let promise = loaded.get(key);
  if (promise === undefined) {
    promise = load(spec);
    loaded.set(key, promise);
    promise.catch(() => loaded.delete(key));
  }
  return promise;
}
