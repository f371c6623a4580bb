/**
 * Carries the parent's module loader into worker threads. Node 20 does not
 * apply `--import` / `--loader` hooks to worker threads, so a `.ts` target
 * that works in a parent started with `tsx` would fail in a worker with
 * "Unknown file extension". The parent finds tsx in its `execArgv` (or
 * `NODE_OPTIONS`) and the bootstrap registers tsx's ESM hooks in the worker
 * before it imports the entry. A forked child needs none of this: it
 * inherits `execArgv` and runs the loader itself.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LoaderSpec } from './protocol.js';

const loaderFlags = new Set(['--import', '--loader', '--experimental-loader', '--require', '-r']);

/** The specifiers given to loader flags in `argv` (`--import x`, `--import=x`). */
export function loaderSpecifiers(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    if (eq > 0 && loaderFlags.has(arg.slice(0, eq))) {
      out.push(arg.slice(eq + 1));
    } else if (loaderFlags.has(arg) && i + 1 < argv.length) {
      out.push(argv[++i] ?? '');
    }
  }
  return out;
}

/** The root directory of the tsx package that `specifier` names, if it names one. */
export function tsxRoot(specifier: string, cwd: string): string | undefined {
  if (specifier === 'tsx' || specifier.startsWith('tsx/')) {
    try {
      return dirname(createRequire(join(cwd, 'noop.js')).resolve('tsx/package.json'));
    } catch {
      return undefined;
    }
  }
  const path = specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier;
  const m = /^(.*[\\/]node_modules[\\/]tsx)[\\/]/.exec(path);
  return m?.[1];
}

function esmApiOf(root: string): string {
  let rel = 'dist/esm/api/index.mjs';
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports?: Record<string, { import?: { default?: string } } | undefined>;
    };
    rel = pkg.exports?.['./esm/api']?.import?.default ?? rel;
  } catch {
    // Keep the default layout.
  }
  return pathToFileURL(join(root, rel)).href;
}

let cached: LoaderSpec[] | undefined;

/** The loaders a worker thread started from here must register (cached). */
export function loadersToCarry(): readonly LoaderSpec[] {
  if (cached !== undefined) return cached;
  const argv = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)];
  const out: LoaderSpec[] = [];
  for (const specifier of loaderSpecifiers(argv)) {
    const root = tsxRoot(specifier, process.cwd());
    if (root !== undefined) {
      out.push({ kind: 'register', url: esmApiOf(root) });
      break;
    }
  }
  cached = out;
  return out;
}
