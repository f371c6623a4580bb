/**
 * Barrier actions: a function checked on the caller's side with core's
 * `toTaskSpec` (closures are refused with a PicklingError) and compiled
 * synchronously, once per thread, in whichever thread arrives last.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { taskKey, toTaskSpec } from '@multiprocessing/core/internal';
import type { TaskSpec } from '@multiprocessing/core/internal';

/** A function run synchronously with no arguments. */
export type Action = () => unknown;

const compiled = new Map<string, Action>();
const requireHere = createRequire(import.meta.url);

/** The plain-data form of `action`. */
export function actionSpec(action: unknown): TaskSpec {
  return toTaskSpec(action, 'action');
}

/**
 * The function `spec` names, compiled (source) or loaded with `require()`
 * (a module reference; the module must not use top-level await).
 */
export function loadActionSync(spec: TaskSpec): Action {
  const key = taskKey(spec);
  let fn = compiled.get(key);
  if (fn !== undefined) return fn;
  let value: unknown;
  if (spec.kind === 'source') {
    // Indirect eval: compiled in this thread's global scope, as core's loadTask does.
    value = (0, eval)(`(${spec.source})`);
  } else {
    const mod = requireHere(fileURLToPath(spec.url)) as Record<string, unknown>;
    value = mod[spec.name];
  }
  if (typeof value !== 'function') throw new TypeError(`barrier action ${spec.name} is not a function`);
  fn = value as Action;
  compiled.set(key, fn);
  return fn;
}
