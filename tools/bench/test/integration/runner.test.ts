// Runs suites the way the bench does: each in a child process started from
// the built dist/harness/suite-child.js (build first).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSuite, type SuiteFile } from '../../dist/harness/runner.js';

const fixtures = fileURLToPath(new URL('../fixtures/suites/', import.meta.url));
const file = (id: string): SuiteFile => ({ id, path: join(fixtures, `${id}.mjs`) });

describe('runSuite in a child process', () => {
  it('returns the rows of a suite, with the context it was given', async () => {
    const o = await runSuite(file('good'), { quick: false, timeoutMs: 30_000 });
    expect(o.error).toBeUndefined();
    expect(o.id).toBe('good');
    expect(o.rows).toEqual([expect.objectContaining({ ours: 42, note: 'full' })]);
  });

  it('keeps NaN and Infinity in rows', async () => {
    const o = await runSuite(file('NaN-row'), { quick: true, timeoutMs: 30_000 });
    expect(o.rows[0]?.ours).toBeNaN();
    expect(o.rows[0]?.peers?.raw).toBe(Infinity);
  });

  it('reports a rejection as the error of the suite', async () => {
    const o = await runSuite(file('throws'), { quick: true, timeoutMs: 30_000 });
    expect(o).toMatchObject({
      id: 'throws',
      title: 'a failing suite',
      rows: [],
      error: 'RangeError: payload too big',
    });
  });

  it('reports a suite that exits its process', async () => {
    const o = await runSuite(file('exits'), { quick: true, timeoutMs: 30_000 });
    expect(o).toMatchObject({
      id: 'exits',
      rows: [],
      error: 'suite process exited with code 3 before reporting',
    });
  });

  it('kills a suite that outlives its timeout and reports it', async () => {
    const o = await runSuite(file('hangs'), { quick: true, timeoutMs: 1500 });
    expect(o).toMatchObject({ id: 'hangs', rows: [], error: 'timed out after 1.5 s' });
    expect(o.seconds).toBeGreaterThanOrEqual(1.4);
    expect(o.seconds).toBeLessThan(20);
  });
});

describe('runSuite in process', () => {
  it('returns the rows and reports a timeout without a child', async () => {
    const good = await runSuite(file('good'), { quick: true, timeoutMs: 30_000, isolate: false });
    expect(good.rows).toHaveLength(1);
    const failed = await runSuite(file('throws'), { quick: true, timeoutMs: 30_000, isolate: false });
    expect(failed.error).toBe('RangeError: payload too big');
  });
});
