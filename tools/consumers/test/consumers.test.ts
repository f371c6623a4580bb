/**
 * The packages as users get them: packed, installed from the tarballs into a
 * project outside the workspace, and run as one program (Pool.map in threads
 * and in a child process, a Queue to a Process, a Value with its lock from
 * two processes, a Manager dict written by a child, the umbrella import)
 * under every way a user runs it, and a pool of a cluster with its host. The tarballs are also checked with
 * publint and arethetypeswrong, and the TypeScript program is type-checked
 * under both module resolutions users pick.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithRedis } from '@multiprocessing/test-utils';
import { makeScratch, publishedPackages, run, workspaceBin, type Run, type Scratch } from './scratch.js';

/** What the program prints, whichever way it runs. */
const expected = [
  'map [1,4,9]',
  'map in a child process [16,25]',
  'queue 0,1,2 exitcode 0',
  'value 2000 <RLock(None, 0)>',
  'between processes 0,1,2 100 exitcodes 0,0',
  'manager {"a":[1,2]} exitcode 0',
  'umbrella true',
];

let scratch: Scratch | undefined;

beforeAll(async () => {
  scratch = await makeScratch();
}, 600_000);

afterAll(() => {
  scratch?.remove();
});

function app(): string {
  if (scratch === undefined) throw new Error('the scratch project was not made');
  return scratch.dir;
}

/** Bundles the ESM program and its task module into `outdir` with esbuild. */
async function bundle(outdir: string, extra: readonly string[]): Promise<void> {
  const args = ['main.mjs', 'tasks.mjs', '--bundle', '--platform=node', '--format=esm'];
  args.push(`--outdir=${outdir}`, '--out-extension:.js=.mjs', '--log-level=error', ...extra);
  const bundled = await run(workspaceBin('esbuild'), args, app());
  expect({ code: bundled.code, err: bundled.stderr }).toEqual({ code: 0, err: '' });
}

function expectProgramOutput(result: Run): void {
  expect({ code: result.code, lines: result.stdout.trim().split('\n') }).toEqual({
    code: 0,
    lines: expected,
  });
  expect(result.stderr).not.toMatch(/Error|Warning/);
}

describe('the tarballs', () => {
  const names = publishedPackages().map((p) => p.name);

  it('are the eight packages, one version, deduplicated when installed', () => {
    expect([...(scratch?.tarballs.keys() ?? [])].sort()).toEqual(
      ['all', 'cluster', 'core', 'manager', 'pool', 'process', 'queue', 'value-lock'].map(
        (n) => `@multiprocessing/${n}`,
      ),
    );
    const nested = readdirSync(join(app(), 'node_modules/@multiprocessing'), { withFileTypes: true }).filter(
      (d) => readdirSync(join(app(), 'node_modules/@multiprocessing', d.name)).includes('node_modules'),
    );
    expect(nested.map((d) => d.name)).toEqual([]);
  });

  it.each(names)('%s passes publint --strict', async (name) => {
    const tarball = scratch?.tarballs.get(name) ?? '';
    const result = await run(workspaceBin('publint'), ['run', '--strict', tarball], app());
    expect({ code: result.code, out: result.stdout.trim().split('\n').pop() }).toEqual({
      code: 0,
      out: 'All good!',
    });
  });

  it.each(names)('%s passes arethetypeswrong (ESM-only profile)', async (name) => {
    const tarball = scratch?.tarballs.get(name) ?? '';
    const result = await run(
      workspaceBin('attw'),
      ['--profile', 'esm-only', '--format', 'json', tarball],
      app(),
    );
    const report = JSON.parse(result.stdout) as {
      analysis: { problems: { kind: string; resolutionKind?: string }[] };
    };
    // The ESM-only profile ignores these two: `require()` without Node's require(esm), and node10 resolution.
    const counted = report.analysis.problems.filter(
      (p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs',
    );
    expect({ code: result.code, problems: counted }).toEqual({ code: 0, problems: [] });
  });
});

describe('TypeScript', () => {
  it.each([
    ['nodenext', 'tsconfig.json'],
    ['bundler', 'tsconfig.bundler.json'],
  ])('the program type-checks under strict with moduleResolution %s', async (_, config) => {
    const result = await run(workspaceBin('tsc'), ['-p', config, '--noEmit'], app());
    expect({ code: result.code, out: result.stdout }).toEqual({ code: 0, out: '' });
  });
});

describe('the program', () => {
  it('runs as TypeScript under tsx', async () => {
    expectProgramOutput(await run(workspaceBin('tsx'), ['main.ts'], app()));
  });

  it('runs as TypeScript compiled by tsc', async () => {
    const compiled = await run(workspaceBin('tsc'), ['-p', 'tsconfig.json'], app());
    expect({ code: compiled.code, out: compiled.stdout }).toEqual({ code: 0, out: '' });
    expectProgramOutput(await run(process.execPath, ['dist/main.js'], app()));
  });

  it('runs as plain ESM', async () => {
    expectProgramOutput(await run(process.execPath, ['main.mjs'], app()));
  });

  it('runs as CommonJS with require()', async () => {
    expectProgramOutput(await run(process.execPath, ['main.cjs'], app()));
  });

  it('runs as an esbuild bundle with @multiprocessing/* external', async () => {
    await bundle('bundle', ['--external:@multiprocessing/*']);
    expectProgramOutput(await run(process.execPath, ['bundle/main.mjs'], app()));
  });

  it('fails at once, naming the fix, as a bundle that inlines @multiprocessing/*', async () => {
    await bundle('inlined', []);
    const result = await run(process.execPath, ['inlined/main.mjs'], app(), 60);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('ERR_MP_ENTRY_NOT_FOUND');
    expect(result.stderr).toContain("esbuild --external:'@multiprocessing/*'");
  });

  it('runs under Bun', async () => {
    expectProgramOutput(await run(workspaceBin('bun'), ['main.mjs'], app()));
  });

  it('runs as TypeScript under Bun', async () => {
    expectProgramOutput(await run(workspaceBin('bun'), ['main.ts'], app()));
  });

  it('runs under Deno', async () => {
    expectProgramOutput(await run(workspaceBin('deno'), ['run', '--allow-all', 'main.mjs'], app()));
  });
});

describeWithRedis('the cluster package', (redis) => {
  it('runs a pool whose tasks run on a host, both from the tarballs', async () => {
    const result = await run(process.execPath, ['cluster.mjs', redis().url], app());
    expect({ code: result.code, out: result.stdout.trim(), err: result.stderr }).toEqual({
      code: 0,
      out: 'cluster [1,4,9]',
      err: '',
    });
  });

  it('installs the multiprocessing-worker command', async () => {
    const result = await run(
      join(app(), 'node_modules', '.bin', 'multiprocessing-worker'),
      ['--help'],
      app(),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: multiprocessing-worker --connection <redis-url>');
  });
});
