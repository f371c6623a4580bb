// Build step after tsc: rebuilds core's two public entries, dist/index.js and
// dist/internal/index.js, as esbuild ESM bundles with code splitting
// (tools/scripts/bundle-dist.mjs). What both entries use lives in one shared
// chunk (dist/chunks/), so each module-level state (the registries, the error
// classes) still exists once per thread, and the main thread, every worker and
// the user's own imports load the same files. A fresh worker pays for each
// module file it loads (resolve, read, compile): three files instead of
// eighteen (decision 0012).
import { fileURLToPath } from 'node:url';
import { bundleDist } from '../../../tools/scripts/bundle-dist.mjs';

await bundleDist(fileURLToPath(new URL('../dist/', import.meta.url)), ['index.js', 'internal/index.js']);
