/**
 * How core behaves under the ways a program can load it: require() from
 * CommonJS, and two copies of the package in one thread.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe('CommonJS consumers', () => {
  it('can require() the ESM package (Node >= 20.19)', async () => {
    const script =
      "const core = require('@multiprocessing/core');" +
      "const err = new core.FullError('x');" +
      'const back = core.decode(core.encode({ err, m: new Map([[1, 2]]) }));' +
      'console.log(JSON.stringify([err.code, back.err instanceof core.FullError, back.m.get(1)]));';
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['-e', script], { cwd: repoRoot, timeout: 20_000 }, (error, out, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(out);
      });
    });
    expect(JSON.parse(stdout.trim())).toEqual(['ERR_MP_FULL', true, 2]);
  });
});

describe('two copies of core in one thread', () => {
  it('share one shareable registry and one shared-buffer registry', async () => {
    const script = fileURLToPath(new URL('../fixtures/two-copies.mjs', import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [script], { cwd: repoRoot, timeout: 20_000 }, (error, out, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(out);
      });
    });
    expect(JSON.parse(stdout.trim())).toEqual({
      revived: true,
      described: 'test:Token',
      sameBuffer: true,
      distinctIds: true,
    });
  });
});
