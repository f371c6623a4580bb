/**
 * How core behaves under the ways a program can load it: require() from
 * CommonJS, and two copies of the package in one thread.
 */
import { fileURLToPath } from 'node:url';
import { runNode } from '@multiprocessing/test-utils';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe('CommonJS consumers', () => {
  it('can require() the ESM package (Node >= 20.19)', async () => {
    const script =
      "const core = require('@multiprocessing/core');" +
      "const err = new core.FullError('x');" +
      'const back = core.decode(core.encode({ err, m: new Map([[1, 2]]) }));' +
      'console.log(JSON.stringify([err.code, back.err instanceof core.FullError, back.m.get(1)]));';
    const r = await runNode(['-e', script], { cwd: repoRoot, timeoutMs: 20_000 });
    expect(r).toMatchObject({ code: 0 });
    expect(JSON.parse(r.stdout.trim())).toEqual(['ERR_MP_FULL', true, 2]);
  });
});

describe('two copies of core in one thread', () => {
  it('share one shareable registry and one shared-buffer registry', async () => {
    const script = fileURLToPath(new URL('../fixtures/two-copies.mjs', import.meta.url));
    const r = await runNode([script], { cwd: repoRoot, timeoutMs: 20_000 });
    expect(r).toMatchObject({ code: 0 });
    expect(JSON.parse(r.stdout.trim())).toEqual({
      secondCopy: true,
      revived: true,
      described: 'test:Token',
      sameBuffer: true,
      distinctIds: true,
    });
  });
});
