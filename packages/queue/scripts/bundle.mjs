// Build step after tsc: rebuilds the queue package's two entries, dist/index.js
// and dist/internal/index.js (the Pipe, Connection and spin gate, for the
// manager), as esbuild ESM bundles with shared chunks
// (tools/scripts/bundle-dist.mjs), so a worker that only needs the Pipe (a
// revived manager proxy) loads two files instead of thirteen, and Connection
// is registered once per thread whichever entry loaded it (decision 0014,
// sixth round).
import { fileURLToPath } from 'node:url';
import { bundleDist } from '../../../tools/scripts/bundle-dist.mjs';

await bundleDist(
  fileURLToPath(new URL('../dist/', import.meta.url)),
  ['index.js', 'internal/index.js'],
  ['connection.js'],
);
