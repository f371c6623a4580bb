import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe('CommonJS consumers', () => {
  it('can require() the package and its internal subpath (Node >= 20.19)', async () => {
    // require()-ability also matters to core's reviveShareable, which loads
    // a registering module synchronously in a thread that never imported it.
    const script =
      "const vl = require('@multiprocessing/value-lock');" +
      "const futex = require('@multiprocessing/value-lock/internal');" +
      "const v = new vl.Value('i', 41); v.withLockSync(() => { v.value += 1; });" +
      'console.log(JSON.stringify([v.value, typeof futex.mutexLock, futex.futexWake(new Int32Array(new SharedArrayBuffer(4)), 0)]));';
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['-e', script], { cwd: repoRoot, timeout: 20_000 }, (error, out, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(out);
      });
    });
    expect(JSON.parse(stdout.trim())).toEqual([42, 'function', 0]);
  });
});
