/**
 * A child's bootstrap is one bundled file (scripts/bundle-bootstrap.mjs,
 * decision 0012) that holds its own copies of the runtime modules it uses.
 * Those copies and the separate files that an entry or a task imports later
 * share one runtime state per thread (src/internal/runtime-state.ts), so
 * currentProcess() and the launch data read the same identity whichever
 * copy asks.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInMainAndWorker } from '@multiprocessing/test-utils';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe("the child's bootstrap", () => {
  it('is one file: it imports no module of its own package, and not @multiprocessing/core', () => {
    const code = readFileSync(`${dist}entry/bootstrap.js`, 'utf8');
    const specifiers = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const specifier of specifiers) expect(specifier).toMatch(/^node:/);
  });

  it('maps back to the TypeScript sources', () => {
    const map = JSON.parse(readFileSync(`${dist}entry/bootstrap.js.map`, 'utf8')) as { sources: string[] };
    expect(map.sources).toEqual(
      expect.arrayContaining([expect.stringMatching(/src\/entry\/bootstrap\.ts$/)]),
    );
    for (const source of map.sources) expect(source).toMatch(/^(\.\.\/)+src\/.+\.ts$/);
  });

  it('shares the runtime state with every other copy of the runtime modules in the thread', async () => {
    // Two copies of current.js (a query string makes a second module
    // instance): the child identity one copy sets is the one the other reads,
    // in the main thread and in a worker.
    const current = JSON.stringify(pathToFileURL(`${dist}internal/current.js`).href);
    const check = `Promise.all([import(${current} + '?copy=a'), import(${current} + '?copy=b')]).then(([a, b]) => {
      const before = b.childState() === undefined && b.identityOf().name === 'MainProcess';
      a.becomeChild({ name: 'Copy-1', daemon: true, startMethod: 'thread', authkey: new Uint8Array(32),
        parent: { name: 'MainProcess', pid: 1 }, entry: 'file:///x.js', parentDeathSignal: false, loaders: [], data: 7 });
      return { before, name: b.identityOf().name, data: b.childState()?.data, daemon: b.identityOf().daemon };
    })`;
    const r = await runInMainAndWorker(check, { cwd: repoRoot, timeoutMs: 20_000 });
    expect(r).toMatchObject({ code: 0 });
    const shared = { before: true, name: 'Copy-1', data: 7, daemon: true };
    expect(JSON.parse(r.stdout.trim())).toEqual({ main: shared, worker: shared });
  });
});
