/**
 * A `Process` subclass that overrides `run()` travels to its child as
 * Python pickles one: by reference, as the module that exports the class
 * and the class's name, with the instance's own fields beside it. The child
 * imports the module, makes an instance without running the subclass's
 * constructor (Python's unpickling does not call `__init__`), gives it the
 * fields and calls `run()`.
 *
 * JavaScript cannot ask a class for its module. The base constructor reads
 * it from the stack while the subclass is constructed: the frame of
 * `new Worker` lies in the module that defines `Worker`. Before the child
 * starts, the module's source must show an export of that name, so a class
 * the child could not import (not exported, defined inside a function, in a
 * bundle) is refused at `start()`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PicklingError } from '@multiprocessing/core';

/** Where the child finds a subclass. */
export interface ClassSpec {
  /** `file:` URL of the module that defines and exports the class. */
  readonly url: string;
  /** The class's name, and the name of its export. */
  readonly name: string;
}

type Cls = abstract new (...args: never[]) => unknown;

// Per class, read once: the module constructing it (the stack, at its first
// construction) and, once checked, where the child finds it. A pool of
// instances of one subclass reads neither the stack nor the source again.
const modules = new WeakMap<Cls, string | undefined>();
const specs = new WeakMap<Cls, ClassSpec>();

/** The `file:` URL of a stack frame's file, or undefined when it has none (eval, a REPL). */
function fileUrl(file: string | null | undefined): string | undefined {
  if (file === undefined || file === null) return undefined;
  if (file.startsWith('file:')) return file;
  if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)) return pathToFileURL(file).href;
  return undefined;
}

/**
 * The module whose code is constructing `cls` now: the file of the
 * outermost `new <cls.name>` frame. Call it from the base constructor.
 */
export function constructingModule(cls: Cls): string | undefined {
  if (modules.has(cls)) return modules.get(cls);
  const savedPrepare: unknown = Reflect.get(Error, 'prepareStackTrace');
  const savedLimit = Error.stackTraceLimit;
  let sites: NodeJS.CallSite[] = [];
  try {
    Error.stackTraceLimit = 64;
    Error.prepareStackTrace = (_err, callSites) => callSites;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, constructingModule);
    // V8 formats the stack when it is first read: read it before restoring.
    sites = holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = savedPrepare as typeof Error.prepareStackTrace;
    Error.stackTraceLimit = savedLimit;
  }
  const frames = Array.isArray(sites)
    ? sites.filter((s) => s.isConstructor() && s.getFunctionName() === cls.name)
    : [];
  const url = fileUrl(frames.at(-1)?.getFileName());
  modules.set(cls, url);
  return url;
}

function escaped(name: string): string {
  return name.replace(/[$]/g, '\\$');
}

/** Whether `source` exports a binding named `name` (ESM or CommonJS, at its top level or in a list). */
function exportsName(source: string, name: string): boolean {
  const id = escaped(name);
  return [
    new RegExp(`export\\s+(?:default\\s+)?(?:abstract\\s+)?class\\s+${id}(?![\\w$])`),
    new RegExp(`export\\s*\\{[^}]*(?<![\\w$])${id}(?![\\w$])[^}]*\\}`),
    new RegExp(`export\\s+default\\s+${id}(?![\\w$])`),
    new RegExp(`(?:module\\.)?exports\\.${id}\\s*=`),
    new RegExp(`module\\.exports\\s*=\\s*(?:\\{[^}]*(?<![\\w$])${id}(?![\\w$])|${id}(?![\\w$]))`),
  ].some((re) => re.test(source));
}

/**
 * Where the child finds `cls`, checked now.
 *
 * @throws {PicklingError} naming the class and the fix when the child could not import it.
 */
export function classSpec(cls: Cls, url: string | undefined): ClassSpec {
  const known = specs.get(cls);
  if (known !== undefined) return known;
  const name = cls.name;
  const fix = `Fix: define it at the top level of a module and export it (export class ${name || 'Worker'} extends Process { run() { … } }).`;
  if (name === '') {
    throw new PicklingError(
      `a Process subclass without a name cannot be started: the child imports the class by name. ${fix}`,
    );
  }
  if (url === undefined) {
    throw new PicklingError(
      `Process subclass ${name} cannot be started: the module that defines it was not found (a class made by eval or in a REPL; under Bun, a class without a constructor of its own, which Bun's stack does not place in a file). ${fix} Under Bun, also give it a constructor: constructor(...args) { super(...args); }`,
    );
  }
  let source: string;
  try {
    source = readFileSync(fileURLToPath(url), 'utf8');
  } catch (cause) {
    throw new PicklingError(
      `Process subclass ${name} cannot be started: its module ${url} cannot be read. ${fix}`,
      { cause },
    );
  }
  if (!exportsName(source, name)) {
    throw new PicklingError(
      `Process subclass ${name} cannot be started: the child imports it from ${url}, which does not export it (a class defined inside a function, or not exported). ${fix}`,
    );
  }
  const spec = { url, name };
  specs.set(cls, spec);
  return spec;
}

/** The class `spec` names, imported in the child. */
export async function importClass(spec: ClassSpec): Promise<Cls> {
  const mod = (await import(spec.url)) as Record<string, unknown>;
  const byName = mod[spec.name];
  if (typeof byName === 'function') return byName as Cls;
  const candidates = [
    ...Object.values(mod),
    ...Object.values((mod.default ?? {}) as Record<string, unknown>),
  ];
  const found = candidates.find((v) => typeof v === 'function' && v.name === spec.name);
  if (found !== undefined) return found as Cls;
  throw new PicklingError(`Process subclass ${spec.name} is not exported by ${spec.url}`);
}

/** The root class of `cls`'s chain (the `Process` the subclass extends). */
export function rootClass(cls: Cls): Cls {
  let root = cls;
  for (
    let up = Object.getPrototypeOf(root) as Cls | null;
    typeof up === 'function' && up !== Function.prototype;
    up = Object.getPrototypeOf(up) as Cls | null
  ) {
    root = up;
  }
  return root;
}
