/**
 * The built package: its two entries are esbuild bundles that share one chunk
 * (scripts/bundle.mjs), so a thread that only needs the Pipe (a revived
 * manager proxy) loads two files of this package, and both entries give the
 * same classes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { distJsFiles, distMapProblems, runInMainAndWorker } from '@multiprocessing/test-utils';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe("the queue package's built files", () => {
  it('are the two entries and one shared chunk, nothing else', () => {
    const files = distJsFiles(dist);
    const chunks = files.filter((file) => file.startsWith('chunks/'));
    expect(chunks).toHaveLength(1);
    expect(files).toEqual([chunks[0], 'index.js', 'internal/index.js']);
    for (const [entry, fromEntry] of [
      ['index.js', `./${chunks[0]}`],
      ['internal/index.js', `../${chunks[0]}`],
    ] as const) {
      expect(readFileSync(`${dist}${entry}`, 'utf8')).toContain(`from "${fromEntry}"`);
    }
  });

  it('map back to the TypeScript sources (a file that only re-exports a chunk has no map)', () => {
    expect(distMapProblems(dist, distJsFiles(dist))).toEqual([]);
  });

  it('give both entries the same classes, in a thread and in a worker', async () => {
    const check = `Promise.all([import('@multiprocessing/queue'), import('@multiprocessing/queue/internal')]).then(([pub, internal]) => {
      const [a, b] = pub.Pipe();
      const ok = { pipe: internal.Pipe === pub.Pipe, connection: a instanceof internal.Connection && internal.Connection === pub.Connection };
      a.close();
      b.close();
      return ok;
    })`;
    const r = await runInMainAndWorker(check, { cwd: repoRoot, timeoutMs: 20_000 });
    expect(r).toMatchObject({ code: 0 });
    const all = { pipe: true, connection: true };
    expect(JSON.parse(r.stdout.trim())).toEqual({ main: all, worker: all });
  });
});
