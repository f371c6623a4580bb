// Build step after tsc: rebuilds the manager's modules as esbuild ESM bundles
// with shared chunks (tools/scripts/bundle-dist.mjs). The entries: dist/index.js
// (the package's export), dist/entry/server.js (the server's thread or process
// entry), and two that only shape the chunks: proxy.js, so the proxy classes
// and the client path a revived proxy needs form chunks of their own, and
// internal/entry-path.js, so the code that finds entry/server.js relative to
// its own URL sits in dist/chunks/, one level down as in tsc's layout. The
// proxy classes and each module-level state (the per-thread connection
// registry, the in-process server table) exist once per thread, whether a
// thread reached them through the user's import or through a revived proxy,
// which imports only the chunk that registered its class and what that chunk
// imports (decision 0014, sixth round).
import { fileURLToPath } from 'node:url';
import { bundleDist } from '../../../tools/scripts/bundle-dist.mjs';

await bundleDist(
  fileURLToPath(new URL('../dist/', import.meta.url)),
  ['index.js', 'entry/server.js', 'proxy.js', 'internal/entry-path.js'],
  ['proxy.js', 'internal/entry-path.js'],
);
