/**
 * What a thread pool worker loads before its first task: only the child side
 * of the worker runtime (no `launch()`, so no `node:child_process`), and no
 * `node:v8` unless maxMemoryPerChild asks for heap checks; and it starts on
 * the pool's entry bundle, not on the runtime's bootstrap (decision 0012).
 */
import { fileURLToPath } from 'node:url';
import { Pool } from '@multiprocessing/pool';
import { within } from '../helpers.js';

/** The Node built-in modules loaded so far in the worker that runs it. */
const builtinsLoaded = (): string[] =>
  (process as unknown as { moduleLoadList: string[] }).moduleLoadList
    .filter((m) => m.startsWith('NativeModule '))
    .map((m) => m.slice('NativeModule '.length));

describe('Pool worker start-up [thread]', () => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
  });

  it('a worker does not load node:child_process or node:v8', async () => {
    pool = new Pool({ processes: 1 });
    const loaded = await within(pool.apply(builtinsLoaded, []), 30_000, 'builtinsLoaded');
    // The list is real: the worker loaded built-ins of its own.
    expect(loaded).toContain('worker_threads');
    expect(loaded).not.toContain('child_process');
    expect(loaded).not.toContain('v8');
  });

  it('a worker starts on the entry bundle itself, no bootstrap module before it', async () => {
    pool = new Pool({ processes: 1 });
    // A worker thread's process.argv[1] is the module it was started on.
    const first = await within(
      pool.apply(() => process.argv[1], []),
      30_000,
      'process.argv[1]',
    );
    expect(first).toBe(fileURLToPath(new URL('../../dist/entry/pool-worker.bundle.js', import.meta.url)));
  });

  it('with maxMemoryPerChild a worker loads node:v8 for its heap checks', async () => {
    pool = new Pool({ processes: 1, maxMemoryPerChild: 4096 });
    await within(pool.apply(builtinsLoaded, []), 30_000, 'first task');
    const loaded = await within(pool.apply(builtinsLoaded, []), 30_000, 'builtinsLoaded');
    expect(loaded).toContain('v8');
  });
});
