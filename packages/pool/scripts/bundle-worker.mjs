// Build step after tsc: bundles the pool worker entry (dist/entry/pool-worker.js)
// and the worker-side modules it imports into one file,
// dist/entry/pool-worker.bundle.js, the file every pool worker starts on.
// A fresh worker pays for each module file it loads (resolve, read, compile);
// one file instead of a dozen cuts its start-up (decision 0012).
//
// What stays outside the bundle, loaded as separate modules:
// - the other @multiprocessing packages (their state and classes must be the
//   ones a task's own imports see);
// - internal/task-slot.js, which the public currentTask() reads too: a copy in
//   the bundle would be a second slot that currentTask() never sees.
import { build } from 'esbuild';
import { relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** Modules of this package the worker shares with the public API: imported, not copied (paths under dist/). */
const shared = ['internal/task-slot.js'];

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
      name: 'shared-modules',
      setup(b) {
        b.onResolve({ filter: /^\.\.?\// }, (args) => {
          const file = fileURLToPath(new URL(args.path, pathToFileURL(`${args.resolveDir}/`)));
          const rel = relative(dist, file).split(sep).join('/');
          // Seen from the bundle, which lives in dist/entry/.
          return shared.includes(rel) ? { path: `../${rel}`, external: true } : undefined;
        });
      },
    },
  ],
});
