/**
 * Where the compiled entry modules live. The ONE place that knows the layout
 * of `dist/entry/`: every other module asks this one. It also checks, once,
 * that the files are there, because a bundler that inlines this package
 * leaves them behind and a worker started on a missing file dies silently.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The entry modules this package ships, by role. */
export type EntryRole = 'bootstrap' | 'process-target' | 'broker' | 'remote-helper';

/** Absolute path of the compiled entry module for `role`. */
export function entryPath(role: EntryRole): string {
  return join(import.meta.dirname, '..', 'entry', `${role}.js`);
}

/** `file:` URL of the compiled entry module for `role`. */
export function entryUrl(role: EntryRole): string {
  return pathToFileURL(entryPath(role)).href;
}

const found = new Set<string>();

/**
 * Throws when the bootstrap or the module `entry` (a `file:` URL) that a
 * child would run is missing, naming the fix. Each file is looked up once.
 */
export function checkEntryFiles(entry: string): void {
  for (const path of [entryPath('bootstrap'), entry.startsWith('file:') ? fileURLToPath(entry) : undefined]) {
    if (path === undefined || found.has(path)) continue;
    if (!existsSync(path)) {
      throw Object.assign(
        new Error(
          `@multiprocessing cannot start a worker: its entry module ${path} does not exist. ` +
            'This happens when a bundler inlines the @multiprocessing packages, whose workers load files of their own. ' +
            "Keep them external so they load from node_modules: esbuild --external:'@multiprocessing/*' (or --packages=external), " +
            "Rollup and Vite external: [/^@multiprocessing\\//], webpack externals. See 'Bundlers' in the @multiprocessing README.",
        ),
        { code: 'ERR_MP_ENTRY_NOT_FOUND' },
      );
    }
    found.add(path);
  }
}
