// `nx release` in dry-run mode moves the eight packages of the fixed group to
// one new version through tools/release/version-actions.cjs, keeps the caret
// on sibling ranges, previews the changelogs and writes nothing. An explicit
// specifier keeps the test independent of git tags and of which commits exist.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { releasedPackageDirs, root } from '../check-pack.mjs';

const names = ['core', 'value-lock', 'process', 'queue', 'pool', 'manager', 'cluster', 'all'].map(
  (p) => `@multiprocessing/${p}`,
);

function manifests(): string[] {
  return releasedPackageDirs().map((dir) => readFileSync(join(dir, 'package.json'), 'utf8'));
}

describe('nx release --dry-run', () => {
  let before: string[] = [];
  let current = '';
  let output = '';

  beforeAll(() => {
    before = manifests();
    current = (JSON.parse(before[0]!) as { version: string }).version;
    // Without the NX_* variables of the surrounding nx task, the nested nx
    // computes its own graph.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NX_')));
    const nx = createRequire(import.meta.url).resolve('nx/bin/nx');
    output = execFileSync(process.execPath, [nx, 'release', 'minor', '--dry-run', '--skip-publish'], {
      cwd: root,
      env: { ...env, NX_DAEMON: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  }, 130_000);

  it('gives all eight packages the same new version', () => {
    const versions = new Map<string, string>();
    for (const m of output.matchAll(
      /^(@multiprocessing\/[\w-]+) .*New version (\S+) written to manifest/gm,
    )) {
      versions.set(m[1]!, m[2]!);
    }
    expect([...versions.keys()].sort()).toEqual([...names].sort());
    const distinct = new Set(versions.values());
    expect(distinct.size).toBe(1);
    const [next] = [...distinct];
    expect(next).not.toBe(current);
  });

  it('keeps sibling ranges carets', () => {
    const next = /New version (\S+) written/.exec(output)?.[1];
    expect(next).toBeDefined();
    const added = [...output.matchAll(/^\+\s+"(@multiprocessing\/[\w-]+)": "([^"]+)"/gm)].map((m) => m[2]);
    expect(added.length).toBeGreaterThan(0);
    expect(new Set(added)).toEqual(new Set([`^${next!}`]));
  });

  it('previews a changelog entry per package and one for the workspace', () => {
    const next = /New version (\S+) written/.exec(output)?.[1];
    const previews = [...output.matchAll(/Previewing an entry in (\S+) for v(\S+)/g)];
    expect(previews.map((m) => m[1]).sort()).toEqual(
      ['CHANGELOG.md', ...names.map((n) => `packages/${n.split('/')[1]!}/CHANGELOG.md`)].sort(),
    );
    expect(new Set(previews.map((m) => m[2]))).toEqual(new Set([next]));
  });

  it('writes nothing', () => {
    expect(manifests()).toEqual(before);
  });
});
