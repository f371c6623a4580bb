/**
 * The worker environment options: `env`, `argv`, `execArgv` and
 * `workerData` (read with getWorkerData() in tasks and the initializer).
 */
import { getContext } from '@multiprocessing/process';
import { Value } from '@multiprocessing/value-lock';
import { getWorkerData, moduleRef, Pool, ProcessPoolExecutor, StateError } from '@multiprocessing/pool';
import type * as LifecycleTasks from '../fixtures/lifecycle-tasks.mjs';
import { startMethods, within } from '../helpers.js';

const life = moduleRef<typeof LifecycleTasks>(new URL('../fixtures/lifecycle-tasks.mjs', import.meta.url));

describe.each(startMethods)('Pool worker environment [%s]', (method) => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
  });

  // (The test runner's process.env is a copy: a variable set here would not
  // reach a worker, so these read PATH, which every process has.)
  it('env replaces the workers’ process.env', async () => {
    pool = new Pool({ processes: 1, env: { MP_LIFECYCLE_ONLY: 'only' }, context: getContext(method) });
    expect(
      await within(pool.apply(life.readEnv, [['MP_LIFECYCLE_ONLY', 'PATH']]), 30_000, 'readEnv'),
    ).toEqual({
      MP_LIFECYCLE_ONLY: 'only',
      PATH: null,
    });
  });

  it('without env the workers see the parent’s environment', async () => {
    expect(process.env.PATH).toEqual(expect.any(String));
    pool = new Pool({ processes: 1, context: getContext(method) });
    expect(
      await within(pool.apply(life.readEnv, [['PATH', 'MP_LIFECYCLE_ONLY']]), 30_000, 'readEnv'),
    ).toEqual({
      PATH: process.env.PATH,
      MP_LIFECYCLE_ONLY: null,
    });
  });

  it('argv is appended to the workers’ process.argv; execArgv gives them Node options', async () => {
    pool = new Pool({
      processes: 1,
      argv: ['--alpha', 'beta'],
      execArgv: ['--no-deprecation'],
      context: getContext(method),
    });
    const got = await within(pool.apply(life.readArgv), 30_000, 'readArgv');
    expect(got.argv.slice(-2)).toEqual(['--alpha', 'beta']);
    expect(got.execArgv).toContain('--no-deprecation');
    expect(got.noDeprecation).toBe(true);
  });

  it('workerData reaches tasks and the initializer; every call gives the same value', async () => {
    const data = { tag: 'blue', list: [1, 2, 3], when: new Date(0), nested: { map: new Map([['k', 1]]) } };
    pool = new Pool({
      processes: 2,
      workerData: data,
      initializer: life.initFromWorkerData,
      context: getContext(method),
    });
    expect(await within(pool.apply(life.readWorkerData), 30_000, 'readWorkerData')).toEqual(data);
    expect(await within(pool.apply(life.readFromInit), 30_000, 'readFromInit')).toEqual(data);
    expect(await within(pool.apply(life.workerDataIdentity), 30_000, 'workerDataIdentity')).toBe(true);
  });

  it('without workerData getWorkerData() gives undefined in a worker', async () => {
    pool = new Pool({ processes: 1, context: getContext(method) });
    expect(await within(pool.apply(life.readWorkerData), 30_000, 'readWorkerData')).toBeUndefined();
  });

  it('workerData may hold a shareable (a Value), shared with the parent', async () => {
    const counter = new Value('i', 0);
    pool = new Pool({ processes: 1, workerData: { counter }, context: getContext(method) });
    expect(await within(pool.apply(life.addToWorkerDataCounter, [5]), 30_000, 'addToWorkerDataCounter')).toBe(
      5,
    );
    expect(counter.value).toBe(5);
  });

  it('ProcessPoolExecutor passes env, argv and workerData', async () => {
    const executor = new ProcessPoolExecutor({
      maxWorkers: 1,
      env: { MP_LIFECYCLE_ONLY: 'exec' },
      argv: ['--gamma'],
      workerData: 7,
      context: getContext(method),
    });
    try {
      expect(await within(executor.submit(life.readWorkerData).result(), 30_000, 'readWorkerData')).toBe(7);
      expect(
        await within(executor.submit(life.readEnv, ['MP_LIFECYCLE_ONLY']).result(), 30_000, 'readEnv'),
      ).toEqual({ MP_LIFECYCLE_ONLY: 'exec' });
      expect((await within(executor.submit(life.readArgv).result(), 30_000, 'readArgv')).argv.at(-1)).toBe(
        '--gamma',
      );
    } finally {
      await within(executor.shutdown({ cancelFutures: true }), 30_000, 'executor.shutdown()');
    }
  });
});

describe('execArgv per start method', () => {
  it("'process' workers take any Node option", async () => {
    const pool = new Pool({ processes: 1, execArgv: ['--expose-gc'], context: getContext('process') });
    try {
      expect((await within(pool.apply(life.readArgv), 30_000, 'readArgv')).gc).toBe('function');
    } finally {
      await within(pool.terminate(), 30_000, 'pool.terminate()');
    }
  });

  it("'thread' workers refuse a process-wide option: the constructor throws Node's error", () => {
    expect(
      () => new Pool({ processes: 1, execArgv: ['--expose-gc'], context: getContext('thread') }),
    ).toThrow(expect.objectContaining({ code: 'ERR_WORKER_INVALID_EXEC_ARGV' }) as Error);
  });
});

describe('getWorkerData() outside a pool worker', () => {
  it('throws StateError', () => {
    expect(() => getWorkerData()).toThrow(
      new StateError('getWorkerData() is only available inside a pool worker'),
    );
  });
});
