import { fileURLToPath } from 'node:url';
import { runNode } from '@multiprocessing/test-utils';

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
    const r = await runNode(['-e', script], { cwd: repoRoot, timeoutMs: 20_000 });
    expect(r).toMatchObject({ code: 0 });
    expect(JSON.parse(r.stdout.trim())).toEqual([42, 'function', 0]);
  });
});
