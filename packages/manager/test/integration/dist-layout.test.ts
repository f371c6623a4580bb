/**
 * The built package: esbuild bundles with shared chunks (scripts/bundle.mjs,
 * decision 0014, sixth round). A worker that revives a proxy imports the
 * chunk that registered the proxy classes and the client path under it, not
 * the server or the manager's start-up code, and a revived proxy is an
 * instance of the classes the package's entry exports.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Manager, type SyncManager } from '@multiprocessing/manager';
import { getContext, taskRef } from '@multiprocessing/process';
import { distJsFiles, distMapProblems } from '@multiprocessing/test-utils';
import { within } from './helpers.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const sameProxyClasses = taskRef(new URL('../fixtures/tasks.mjs', import.meta.url), 'sameProxyClasses');

/** The chunks `file` imports statically, and theirs, relative to dist/. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  seen.add(file);
  const source = readFileSync(`${dist}${file}`, 'utf8');
  for (const [, spec = ''] of source.matchAll(/^import\s[^'"]*["'](\.[^'"]+)["'];?$/gm)) {
    const next = fileURLToPath(new URL(spec, `file://${dist}${file}`)).slice(dist.length);
    if (!seen.has(next)) staticClosure(next, seen);
  }
  return seen;
}

describe("the manager's built files", () => {
  it('are the entries and their shared chunks, nothing else', () => {
    const files = distJsFiles(dist);
    const chunks = files.filter((file) => file.startsWith('chunks/'));
    expect(chunks.length).toBeGreaterThan(0);
    expect(files.filter((file) => !file.startsWith('chunks/'))).toEqual([
      'entry/server.js',
      'index.js',
      'internal/entry-path.js',
      'proxy.js',
    ]);
  });

  it('give a revived proxy a few chunks without the server', () => {
    const registering = distJsFiles(dist).filter((file) =>
      readFileSync(`${dist}${file}`, 'utf8').includes('registerShareable(PROXY_TAG'),
    );
    expect(registering).toHaveLength(1);
    const [chunk = ''] = registering;
    expect(chunk).toMatch(/^chunks\//);
    const loaded = [...staticClosure(chunk)];
    expect(loaded.length).toBeLessThanOrEqual(3);
    for (const file of loaded) {
      const source = readFileSync(`${dist}${file}`, 'utf8');
      expect(source).not.toMatch(/class Server\b/);
      expect(source).not.toMatch(/class BaseManager\b/);
    }
  });

  it('map back to the TypeScript sources (a file that only re-exports a chunk has no map)', () => {
    expect(distMapProblems(dist, distJsFiles(dist))).toEqual([]);
  });
});

describe('a proxy revived in a worker thread', () => {
  let manager: SyncManager;
  beforeAll(async () => {
    manager = await within(Manager({ context: getContext('thread') }), 20_000, 'Manager(…)');
  });
  afterAll(async () => {
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
  });

  it("is an instance of the package entry's proxy classes", async () => {
    const list = await manager.list<string>();
    const child = new (getContext('thread').Process)({ target: sameProxyClasses, args: [list] });
    child.start();
    try {
      await within(child.join(), 30_000, 'child.join()');
    } finally {
      if (child.exitcode === null) child.kill();
    }
    expect(child.exitcode).toBe(0);
    expect(await list.toArray()).toEqual(['same']);
  });
});
