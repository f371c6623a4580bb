import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverSuites, loadAndRun, selectSuites, SUITE_ORDER } from '../../src/harness/runner.js';

const fixtures = fileURLToPath(new URL('../fixtures/suites/', import.meta.url));

describe('discoverSuites', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-suites-'));
    for (const name of [
      'zeta.js',
      'pool.js',
      'codec.js',
      'alpha.js',
      'manager.js',
      'queue.js',
      'codec.d.ts',
      'codec.js.map',
    ]) {
      await writeFile(join(dir, name), '');
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists .js modules in the fixed order, then the others alphabetically', async () => {
    const ids = (await discoverSuites(dir)).map((s) => s.id);
    expect(ids).toEqual(['codec', 'queue', 'pool', 'manager', 'alpha', 'zeta']);
    expect(SUITE_ORDER).toEqual(['codec', 'value-lock', 'queue', 'process', 'pool', 'manager']);
  });

  it('gives an empty list when the folder does not exist', async () => {
    expect(await discoverSuites(join(dir, 'missing'))).toEqual([]);
  });
});

describe('selectSuites', () => {
  const all = [
    { id: 'codec', path: '/x/codec.js' },
    { id: 'pool', path: '/x/pool.js' },
  ];

  it('keeps run order whatever the order of the ids', () => {
    expect(selectSuites(all, ['pool', 'codec']).map((s) => s.id)).toEqual(['codec', 'pool']);
    expect(selectSuites(all, [])).toEqual(all);
  });

  it('throws a RangeError naming unknown ids and the available ones', () => {
    expect(() => selectSuites(all, ['pol'])).toThrow(
      new RangeError('unknown suite pol; available: codec, pool'),
    );
  });
});

describe('loadAndRun', () => {
  it('runs the suite with the context and returns its rows', async () => {
    const m = await loadAndRun(join(fixtures, 'good.mjs'), { quick: true });
    expect(m).toEqual({
      ok: true,
      id: 'good',
      title: 'a good suite',
      rows: [expect.objectContaining({ figure: 'good: answer', ours: 42, note: 'quick' })],
    });
  });

  it('reports a rejection with the suite’s id and the error', async () => {
    expect(await loadAndRun(join(fixtures, 'throws.mjs'), { quick: true })).toEqual({
      ok: false,
      id: 'throws',
      title: 'a failing suite',
      error: 'RangeError: payload too big',
    });
  });

  it('reports a module without a suite and rows without required fields', async () => {
    const none = await loadAndRun(join(fixtures, 'not-a-suite.mjs'), { quick: true });
    expect(none).toMatchObject({ ok: false, error: 'TypeError: not-a-suite.mjs does not export a suite' });
    const bad = await loadAndRun(join(fixtures, 'bad-rows.mjs'), { quick: true });
    expect(bad).toMatchObject({ ok: false, id: 'bad-rows' });
    expect(bad.ok ? '' : bad.error).toMatch(/figure, ours and higherIsBetter are required/);
  });
});
