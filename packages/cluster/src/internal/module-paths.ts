/**
 * How a task's module crosses machines. The caller sends a module under its
 * project root as a path relative to that root, and one inside a
 * `node_modules` folder as its package specifier; a host resolves either
 * against its own root and refuses a path that climbs out of it.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TaskSpec } from '@multiprocessing/core/internal';

/** A task as it travels to a host. */
export type WireSpec =
  | { readonly kind: 'source'; readonly source: string; readonly name: string }
  | { readonly kind: 'module'; readonly path: string; readonly name: string }
  | { readonly kind: 'package'; readonly specifier: string; readonly name: string };

/** The folder of the nearest `package.json` at or above `from` (`from` itself when there is none). */
export function projectRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** True when `path` (relative) climbs out of where it is resolved. */
function climbsOut(path: string): boolean {
  return path === '..' || path.startsWith('../') || path.startsWith('..' + sep) || isAbsolute(path);
}

/**
 * The wire form of `spec` for a caller whose root is `root`.
 *
 * @throws {TypeError} a module outside `root` and outside any `node_modules`.
 */
export function toWireSpec(spec: TaskSpec, root: string): WireSpec {
  if (spec.kind === 'source') return spec;
  const file = fileURLToPath(spec.url);
  const inRoot = relative(root, file);
  if (!climbsOut(inRoot)) return { kind: 'module', path: toPosix(inRoot), name: spec.name };
  const at = toPosix(file).lastIndexOf('/node_modules/');
  if (at >= 0) {
    return { kind: 'package', specifier: toPosix(file).slice(at + '/node_modules/'.length), name: spec.name };
  }
  throw new TypeError(
    `the module ${file} of task '${spec.name}' lies outside the cluster's root ${root}: ` +
      'hosts find modules by their path under the root. Put it under the root, or pass connectCluster() a root ' +
      'that holds it',
  );
}

/** An error that names the module, the host and its root. */
function moduleError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The directory of package `name` seen from `root` (Node's lookup: each `node_modules` up the tree). */
function findPackageDir(root: string, name: string): string | undefined {
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function packageFile(specifier: string, root: string, host: string): string {
  const parts = specifier.split('/');
  const nameParts = specifier.startsWith('@') ? 2 : 1;
  if (parts.length <= nameParts || parts.some((p) => p === '..' || p === '.' || p === '')) {
    throw moduleError(
      `host ${host} refused the module '${specifier}': not a file inside a package`,
      'ERR_MP_MODULE_REFUSED',
    );
  }
  const dir = findPackageDir(root, parts.slice(0, nameParts).join('/'));
  const file = dir === undefined ? undefined : join(dir, ...parts.slice(nameParts));
  if (file === undefined || !existsSync(file)) {
    throw moduleError(
      `Cannot find module '${specifier}' on host ${host} (root ${root})`,
      'ERR_MODULE_NOT_FOUND',
    );
  }
  return file;
}

function moduleFile(path: string, root: string, host: string): string {
  const file = resolve(root, path);
  if (isAbsolute(path) || climbsOut(relative(root, file))) {
    throw moduleError(
      `host ${host} refused the module '${path}': it lies outside the host's root ${root}`,
      'ERR_MP_MODULE_REFUSED',
    );
  }
  if (!existsSync(file)) {
    throw moduleError(`Cannot find module '${path}' on host ${host} (root ${root})`, 'ERR_MODULE_NOT_FOUND');
  }
  // A symbolic link under the root may still point out of it.
  if (climbsOut(relative(realpathSync(root), realpathSync(file)))) {
    throw moduleError(
      `host ${host} refused the module '${path}': it links to a file outside the host's root ${root}`,
      'ERR_MP_MODULE_REFUSED',
    );
  }
  return file;
}

/**
 * The task spec a host runs for `wire`, its modules resolved under `root`.
 *
 * @throws {Error} with code `ERR_MODULE_NOT_FOUND` (no such file on this host) or `ERR_MP_MODULE_REFUSED`
 *   (a path out of the root); the message names the module and `host`.
 */
export function fromWireSpec(wire: WireSpec, root: string, host: string): TaskSpec {
  if (wire.kind === 'source') return wire;
  const file =
    wire.kind === 'module' ? moduleFile(wire.path, root, host) : packageFile(wire.specifier, root, host);
  return { kind: 'module', url: pathToFileURL(file).href, name: wire.name };
}
