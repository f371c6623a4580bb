// Build step after tsc: bundles the pool worker entry (dist/entry/pool-worker.js)
// and the worker-side modules it imports into one file,
// dist/entry/pool-worker.bundle.js, the file every pool worker starts on
// (a thread worker directly: the bundle does the runtime's bootstrap work
// itself, internal/worker-start.ts; a forked one after the bootstrap).
// A fresh worker pays for each module file it loads (resolve, read, compile);
// one file instead of a dozen cuts its start-up (decision 0012).
//
// The other @multiprocessing packages stay outside the bundle, loaded as
// separate modules (their classes must be the ones a task's own imports see),
// except the child side of the process runtime
// (@multiprocessing/process/internal/child): it has no classes, and its state
// lives on globalThis, so the bundle's copy and the package a task imports
// share it. internal/task-slot.js, which the public currentTask() reads too,
// is bundled for the same reason: its state lives on globalThis.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** Package subpaths bundled into the worker although other packages stay external. */
const inlined = ['@multiprocessing/process/internal/child'];

await build({
  entryPoints: [`${dist}entry/pool-worker.js`],
  outfile: `${dist}entry/pool-worker.bundle.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [
    {
      name: 'inlined-packages',
      setup(b) {
        b.onResolve({ filter: /^@multiprocessing\// }, (args) =>
          inlined.includes(args.path) ? { path: fileURLToPath(import.meta.resolve(args.path)) } : undefined,
        );
      },
    },
  ],
});
