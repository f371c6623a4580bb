/**
 * The shareable protocol: how a live object (a Lock, a Queue, a Connection, a
 * manager proxy) crosses into another thread and comes back as a live object
 * over the same memory. Mirrors what `multiprocessing.reduction` does for
 * Python's picklable handles.
 *
 * A class implements `[kShareable]()`, which returns a tag and a descriptor
 * (plain data plus SharedArrayBuffers and MessagePorts), and registers a
 * reviver for the tag with {@link registerShareable}. The descriptor names
 * the registering module, so a thread that never imported the class can
 * still load it and rebuild the object.
 */
import { fileURLToPath } from 'node:url';
import { PicklingError } from './errors.js';
import { requireFrom } from './internal/require-from.js';
import { threadGlobal } from './internal/thread-global.js';

/** The method a shareable class implements. */
export const kShareable: unique symbol = Symbol.for('@multiprocessing/shareable');

/** What `[kShareable]()` returns. */
export interface ShareableState {
  /** The registered tag, such as `value-lock:Lock`. */
  readonly tag: string;
  /**
   * Plain data plus SharedArrayBuffers (and, for the structured-clone wire
   * only, MessagePorts) that rebuild the object on the other side.
   */
  readonly data: unknown;
  /**
   * True when the descriptor holds memory that only threads share (a
   * SharedArrayBuffer). Such an object cannot reach a child process.
   */
  readonly threadOnly?: boolean;
}

/**
 * How an object that lives in thread-only memory is used from another OS
 * process: the methods the process that owns it runs on a caller's behalf.
 * Every name not listed here, and not in `local`, throws a TypeError on the
 * caller's side. Method names are those of the class.
 */
export interface RemoteSpec {
  /** Async methods: the owner awaits them; the caller gets a Promise. */
  readonly async?: readonly string[];
  /** Methods that never block: the owner runs them; the caller's thread waits for the result. */
  readonly sync?: readonly string[];
  /**
   * Blocking twins, as `{ getSync: 'get' }`: the caller's thread blocks while
   * the owner awaits the async method named.
   */
  readonly twins?: Readonly<Record<string, string>>;
  /** Accessors read at the owner (the caller's thread waits). */
  readonly getters?: readonly string[];
  /** Accessors written at the owner (the caller's thread waits). */
  readonly setters?: readonly string[];
  /** Accessors whose value never changes: read once, when the object is sent. */
  readonly constants?: readonly string[];
  /** Inherited methods that use only the methods above: they run in the caller. */
  readonly local?: readonly (string | symbol)[];
  /**
   * Methods written for the caller's side, which use only the methods above
   * (`this` is the caller's object).
   */
  readonly methods?: Readonly<Record<string | symbol, (this: never, ...args: never[]) => unknown>>;
  /** Index access (`obj[i]`, `obj[i] = v`) goes to the owner. */
  readonly indexed?: boolean;
  /** Methods whose calls from one caller run at the owner in the order sent. */
  readonly ordered?: readonly string[];
  /**
   * Methods of this object that cannot block at the owner: the caller sends
   * them without waiting for a reply (a put to an unbounded queue), as the
   * owner method named, which must not block either (`{ put: 'putNowait' }`).
   * Their order is kept.
   */
  readonly streamed?: (value: never) => Readonly<Record<string, string>>;
  /** The owner closes the object when a process that used it exits (a Pipe's end, so its peer sees EOF). */
  readonly closeWhenUsersExit?: boolean;
  /**
   * Methods the owner runs for its callers beside the class's own (`this`
   * is the owner's object); the names start with a dot, so they cannot be
   * the class's.
   */
  readonly owner?: Readonly<Record<`.${string}`, (this: never, ...args: never[]) => unknown>>;
  /** Items of a queue its callers take ahead of their gets, in batches. */
  readonly prefetch?: RemotePrefetch;
}

/**
 * How the callers of a queue owned by another process take its items ahead
 * of their gets. A caller's `get`, `getSync` and `getNowait` take from items
 * it holds; when none is left, the owner method `.take(max, options)` awaits
 * one item as `get(options)` would and resolves with it and up to `max - 1`
 * more. Items a caller stops using go back to the front by
 * `.giveBack(items)`; its `qsize()` counts them, and `empty()` is false
 * while it holds any.
 */
export interface RemotePrefetch {
  /** Whether this object's items may be taken ahead (an unbounded queue: no back-pressure to keep). */
  readonly when: (value: never) => boolean;
  /** How long a get with these options may wait, in ms (`undefined` for ever); throws on bad options. */
  readonly budget: (options: unknown) => number | undefined;
}

/** An object that can cross a thread boundary and arrive live. */
export interface Shareable {
  /** Describes this object for a message; the registered reviver rebuilds it from the result. */
  [kShareable](): ShareableState;
}

/** The plain-data form of a shareable inside a message. */
export interface ShareableDescriptor extends ShareableState {
  readonly __mpShareable: 1;
  /** `file:` URL of the module that registers the tag. */
  readonly module: string;
}

/** A registered shareable class, as {@link loadShareable} returns it. */
export interface Registration {
  readonly module: string;
  readonly revive: (data: unknown) => unknown;
  readonly cls: abstract new (...args: never[]) => unknown;
  readonly remote: RemoteSpec | undefined;
}

/** Options of {@link registerShareable}. */
export interface RegisterShareableOptions {
  /** How another OS process uses an instance whose memory only threads share. */
  remote?: RemoteSpec;
}

/**
 * Makes a thread-only shareable reachable from another OS process: returns
 * the descriptor that process revives instead.
 */
export type CrossProcessExporter = (value: Shareable, desc: ShareableDescriptor) => ShareableDescriptor;

type Cls = abstract new (...args: never[]) => unknown;
type ClassListener = (cls: Cls) => void;

// One registry per thread, shared by every copy of core in it (see
// thread-global.ts): a class registered through one copy revives through any.
const { registry, classTags, listeners } = threadGlobal('shareables', () => ({
  registry: new Map<string, Registration>(),
  classTags: new Map<Cls, string>(),
  listeners: [] as ClassListener[],
}));
const hooks = threadGlobal('crossProcess', () => ({
  exporter: undefined as CrossProcessExporter | undefined,
}));
/** This module's `require`, made on first use (see internal/require-from.ts). */
let requireHere: NodeJS.Require | undefined;

/**
 * Registers how instances of `cls` are rebuilt in another thread.
 *
 * @param tag - a unique tag, by convention `<package>:<Class>`.
 * @param moduleUrl - `import.meta.url` of the module that calls this, so a
 *   thread that has not loaded it yet can.
 * @param cls - the class; its instances implement `[kShareable]()`.
 * @param revive - builds a live object from the descriptor's `data`.
 * @param options - `remote`: how another OS process uses an instance.
 */
export function registerShareable<T extends Shareable>(
  tag: string,
  moduleUrl: string,
  cls: abstract new (...args: never[]) => T,
  revive: (data: never) => T,
  options: RegisterShareableOptions = {},
): void {
  if (typeof tag !== 'string' || tag === '') {
    throw new TypeError('tag must be a non-empty string');
  }
  if (typeof revive !== 'function') throw new TypeError('revive must be a function');
  registry.set(tag, {
    module: moduleUrl,
    revive: revive as (data: unknown) => unknown,
    cls,
    remote: options.remote,
  });
  classTags.set(cls, tag);
  for (const listener of listeners) listener(cls);
}

/** Calls `listener` for every registered class, now and later (for the codec). */
export function onShareableClass(listener: ClassListener): void {
  listeners.push(listener);
  for (const cls of classTags.keys()) listener(cls);
}

/** Installs the hook that {@link exportForProcess} calls (the process package does). */
export function setCrossProcessExporter(exporter: CrossProcessExporter): void {
  hooks.exporter = exporter;
}

/**
 * The descriptor of `value` for another OS process: `desc` itself unless it
 * holds thread-only memory, else what the installed exporter makes of it.
 * Undefined when no exporter is installed.
 */
export function exportForProcess(
  value: Shareable,
  desc: ShareableDescriptor,
): ShareableDescriptor | undefined {
  if (desc.threadOnly !== true) return desc;
  return hooks.exporter?.(value, desc);
}

/** True when `value` implements the shareable protocol. */
export function isShareable(value: unknown): value is Shareable {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<Shareable>)[kShareable] === 'function'
  );
}

/** True when `value` is a {@link ShareableDescriptor}. */
export function isShareableDescriptor(value: unknown): value is ShareableDescriptor {
  return (
    typeof value === 'object' && value !== null && (value as { __mpShareable?: unknown }).__mpShareable === 1
  );
}

/** Describes a shareable as plain data (SABs and ports stay as they are). */
export function describeShareable(value: Shareable): ShareableDescriptor {
  const state = value[kShareable]();
  const reg = registry.get(state.tag);
  if (reg === undefined) {
    throw new PicklingError(
      `shareable tag '${state.tag}' is not registered; call registerShareable() in the module that defines the class`,
    );
  }
  return {
    __mpShareable: 1,
    tag: state.tag,
    module: reg.module,
    data: state.data,
    threadOnly: state.threadOnly === true,
  };
}

/**
 * Imports the modules at `urls` with `import()`, so each shareable class
 * they register is the same class that the thread's own `import` statements
 * see, whatever loader (tsx, a bundler's runtime) is in use.
 */
export async function importRevivers(urls: Iterable<string>): Promise<void> {
  const loads = [...new Set(urls)].map(async (url) => {
    try {
      await import(url);
    } catch (cause) {
      failedImports.add(url);
      throw new PicklingError(`cannot load module ${url} to rebuild a shareable`, { cause });
    }
  });
  await Promise.all(loads);
}

// Modules whose import() failed: not tried again that way, so a caller that
// retries after a failed load reaches reviveShareable and its error at once.
const failedImports = new Set<string>();

/** True when `desc` names a module {@link importRevivers} should load first. */
export function needsReviver(desc: ShareableDescriptor): boolean {
  return !registry.has(desc.tag) && !failedImports.has(desc.module);
}

/**
 * Rebuilds the live object. When the tag is unknown in this thread, the
 * registering module is loaded synchronously first; callers that can wait
 * load it with {@link importRevivers} beforehand, which keeps one instance
 * of it under every loader.
 */
export function reviveShareable(desc: ShareableDescriptor): unknown {
  return loadShareable(desc.tag, desc.module).revive(desc.data);
}

/**
 * The registration of `tag`, loading `module` (synchronously) first when
 * the tag is unknown in this thread.
 *
 * @throws {PicklingError} when the module cannot be loaded or does not register the tag.
 */
export function loadShareable(tag: string, module: string): Registration {
  let reg = registry.get(tag);
  if (reg === undefined) {
    try {
      (requireHere ??= requireFrom(import.meta.url))(fileURLToPath(module));
    } catch (cause) {
      throw new PicklingError(`cannot load module ${module} to rebuild shareable '${tag}'`, {
        cause,
      });
    }
    reg = registry.get(tag);
    if (reg === undefined) {
      throw new PicklingError(`module ${module} did not register shareable '${tag}'`);
    }
  }
  return reg;
}
