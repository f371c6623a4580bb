// Build step after tsc: rebuilds dist/entry/bootstrap.js, the first module of
// every child (worker thread or forked process), as one esbuild bundle with
// the runtime modules it imports (child-ipc, current, runtime-state,
// protocol). A fresh worker pays for each module file it loads (resolve,
// read, compile), and the bootstrap's imports were a phase of their own
// before the entry's (decision 0012).
//
// The copies of those modules in the bundle share their state with the
// separate files an entry or a task imports later: that state lives on
// globalThis (src/internal/runtime-state.ts). Other packages stay external.
// The bundle's source map chains through tsc's maps to src/.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

await build({
  entryPoints: [`${dist}entry/bootstrap.js`],
  outfile: `${dist}entry/bootstrap.js`,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
