/**
 * Builds the site: the API reference from TSDoc (TypeDoc), the benchmark
 * chart from the latest results, then the VitePress pages into
 * `docs/.vitepress/dist`. With `--dev`, serves the pages with live reload
 * instead of building them.
 */
import { fileURLToPath } from 'node:url';
import { build, createServer } from 'vitepress';
import { buildApi } from './api.js';
import { writeBenchChart } from './bench-chart.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What the pages need before VitePress reads them: the API reference and the benchmark chart. */
async function prepare(): Promise<void> {
  await buildApi();
  writeBenchChart();
}

export async function buildSite(): Promise<void> {
  await prepare();
  await build(root);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--dev')) {
    await prepare();
    const server = await createServer(root, { host: '127.0.0.1' });
    await server.listen();
    server.printUrls();
  } else {
    await buildSite();
  }
}
