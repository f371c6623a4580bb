/**
 * An app bundled with esbuild: with the packages kept external it runs;
 * with them inlined, their worker entry files are missing and start()
 * throws at once with an error that names the fix, instead of a child that
 * dies silently.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from '@multiprocessing/test-utils';
import { build } from 'esbuild';

const fixture = fileURLToPath(new URL('../fixtures/bundled-app.mjs', import.meta.url));
// Inside the package, so that external imports resolve from node_modules.
const outdir = mkdtempSync(fileURLToPath(new URL('../.bundle-', import.meta.url)));

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

async function bundleAndRun(name: string, external: string[]): Promise<string> {
  const outfile = join(outdir, `${name}.mjs`);
  await build({
    entryPoints: [fixture],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    external,
    logLevel: 'silent',
  });
  const r = await runNode([outfile], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`${name} bundle exited with ${String(r.code ?? r.signal)}\n${r.stderr}`);
  return r.stdout.trim();
}

describe('a bundled app', () => {
  it('runs when @multiprocessing/* stays external', async () => {
    expect(await bundleAndRun('external', ['@multiprocessing/*'])).toBe('exitcode 0');
  });

  it('fails at start() with ERR_MP_ENTRY_NOT_FOUND naming the fix when the packages are inlined', async () => {
    const out = await bundleAndRun('inlined', []);
    expect(out).toMatch(
      /^ERR_MP_ENTRY_NOT_FOUND: @multiprocessing cannot start a worker: its entry module .*[\\/]entry[\\/]bootstrap\.js does not exist/,
    );
    expect(out).toContain("esbuild --external:'@multiprocessing/*'");
  });
});
