// Shared build step after tsc for the packages whose threads should load few
// files (core, the queue package and the manager; decisions 0012 and 0014):
// rebuilds the given entries under a package's dist/ as esbuild ESM bundles
// with code splitting. What two entries share lives once in dist/chunks/, so
// each module-level state (a registry, a class) still exists once per thread
// whichever entry a thread came through, and a fresh worker resolves, reads
// and compiles a few files instead of one per source module.
//
// tsc's other .js files (and their maps) are removed afterwards: nothing can
// reach them through the package's exports, and a stray import of one would
// be a second copy. The .d.ts files stay as tsc wrote them; the bundles'
// source maps chain through tsc's maps to src/.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Bundles `entries` (paths under `dist`, an absolute directory ending in a
 * slash). Each path in `inChunk` (also under `dist`) must end up in exactly
 * one shared chunk: code that resolves a URL relative to its own module, or
 * registers its module's URL for revival, relies on where it lands.
 */
export async function bundleDist(dist, entries, inChunk = []) {
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
  const outputs = Object.entries(result.metafile.outputs);
  for (const source of inChunk) {
    const input = resolve(dist, source);
    const holders = outputs.filter(
      ([file, out]) =>
        resolve(file).startsWith(resolve(dist, 'chunks')) &&
        Object.keys(out.inputs).some((i) => resolve(i) === input),
    );
    if (holders.length !== 1) {
      throw new Error(`bundle: ${source} is in ${String(holders.length)} chunks of ${dist}, not 1`);
    }
  }
  const written = new Set(outputs.map(([file]) => resolve(file)));
  removeUnbundled(dist, written);
  for (const file of written) if (file.endsWith('.js.map')) dropEmptyMap(file);
}

/**
 * A bundle that only re-exports (an entry whose code all lives in chunks)
 * gets a source map with no sources: it maps nothing, so it is removed with
 * its `sourceMappingURL` comment rather than shipped.
 */
function dropEmptyMap(mapPath) {
  const map = JSON.parse(readFileSync(mapPath, 'utf8'));
  if (Array.isArray(map.sources) && map.sources.length > 0) return;
  rmSync(mapPath);
  const jsPath = mapPath.slice(0, -'.map'.length);
  const js = readFileSync(jsPath, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  writeFileSync(jsPath, js);
}

/** Removes the .js and .js.map files under `dir` that the bundle did not write. */
function removeUnbundled(dir, written) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeUnbundled(path, written);
    else if (/\.js(\.map)?$/.test(entry.name) && !written.has(path)) rmSync(path);
  }
}
