// Build step after tsc: rebuilds core's two public entries, dist/index.js and
// dist/internal/index.js, as esbuild ESM bundles with code splitting. What both
// entries use lives in one shared chunk (dist/chunks/), so each module-level
// state (the registries, the error classes) still exists once per thread, and
// the main thread, every worker and the user's own imports load the same files.
// A fresh worker pays for each module file it loads (resolve, read, compile):
// three files instead of eighteen (decision 0012).
//
// tsc's other .js files (and their maps) are removed afterwards: nothing can
// reach them through the package's exports, and a stray import of one would
// be a second copy. The .d.ts files stay as tsc wrote them; the bundles' source
// maps chain through tsc's maps to src/.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
/** The package's entries (its "exports"), paths under dist/. */
const entries = ['index.js', 'internal/index.js'];

const result = await build({
  entryPoints: entries.map((entry) => `${dist}${entry}`),
  outdir: dist,
  outbase: dist,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});

const outputs = new Set(Object.keys(result.metafile.outputs).map((file) => resolve(file)));

/** Removes the .js and .js.map files under `dir` that the bundle did not write. */
function removeUnbundled(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeUnbundled(path);
    else if (/\.js(\.map)?$/.test(entry.name) && !outputs.has(path)) rmSync(path);
  }
}
removeUnbundled(dist);
