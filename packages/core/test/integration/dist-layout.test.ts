/**
 * The built package: its two entries are esbuild bundles that share one chunk
 * (scripts/bundle.mjs, decision 0012), so a thread loads core as three files,
 * and both entries see the same module state and the same classes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { distJsFiles, runInMainAndWorker } from '@multiprocessing/test-utils';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe("core's built files", () => {
  it('are the two entries and one shared chunk, nothing else', () => {
    const files = distJsFiles(dist);
    const chunks = files.filter((file) => file.startsWith('chunks/'));
    expect(chunks).toHaveLength(1);
    expect(files).toEqual([chunks[0], 'index.js', 'internal/index.js']);
    // Each entry imports the chunk rather than holding a copy of it.
    for (const [entry, fromEntry] of [
      ['index.js', `./${chunks[0]}`],
      ['internal/index.js', `../${chunks[0]}`],
    ] as const) {
      expect(readFileSync(`${dist}${entry}`, 'utf8')).toContain(`from "${fromEntry}"`);
    }
  });

  it("map back to core's TypeScript sources", () => {
    for (const file of distJsFiles(dist)) {
      const map = JSON.parse(readFileSync(`${dist}${file}.map`, 'utf8')) as { sources: string[] };
      expect(map.sources.length).toBeGreaterThan(0);
      for (const source of map.sources) expect(source).toMatch(/^(\.\.\/)+src\/.+\.ts$/);
    }
  });

  it('share their state and classes between the two entries, in a thread and in a worker', async () => {
    // What the main thread and a worker each check, after importing both entries.
    const check = `Promise.all([import('@multiprocessing/core'), import('@multiprocessing/core/internal')]).then(([core, internal]) => {
      const back = internal.deserializeError(internal.serializeError(new core.StateError('x')));
      const sab = new SharedArrayBuffer(8);
      return {
        errorClass: back instanceof core.StateError && back.message === 'x',
        registry: internal.importSharedBuffer(internal.exportSharedBuffer(sab)) === sab,
        decoded: core.decode(core.encode(new core.FullError('y'))) instanceof core.FullError,
      };
    })`;
    const r = await runInMainAndWorker(check, { cwd: repoRoot, timeoutMs: 20_000 });
    expect(r).toMatchObject({ code: 0 });
    const all = { errorClass: true, registry: true, decoded: true };
    expect(JSON.parse(r.stdout.trim())).toEqual({ main: all, worker: all });
  });

  it('load node:module only once something must be required (acorn, msgpackr, a shareable module)', async () => {
    const check = `Promise.all([import('@multiprocessing/core'), import('@multiprocessing/core/internal')]).then(([core, internal]) => {
      const hasModule = () => process.moduleLoadList.includes('NativeModule module');
      const atLoad = hasModule();
      const spec = internal.toTaskSpec((x) => x + 1, 'fn');
      const bytes = core.decode(core.encode(new Uint8Array([1, 2])));
      return { atLoad, spec: spec.kind, bytes: bytes[1], afterUse: hasModule() };
    })`;
    const r = await runInMainAndWorker(check, { cwd: repoRoot, timeoutMs: 20_000 });
    expect(r).toMatchObject({ code: 0 });
    const used = { spec: 'source', bytes: 2, afterUse: true };
    // A main thread run with -e has node:module loaded by Node itself; a worker has not.
    expect(JSON.parse(r.stdout.trim())).toEqual({
      main: { ...used, atLoad: expect.any(Boolean) as unknown },
      worker: { ...used, atLoad: false },
    });
  });
});
