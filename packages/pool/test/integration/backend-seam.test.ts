/**
 * The seam a context that is not a start method (a cluster) plugs into: a
 * context object carrying a backend under `Symbol.for('@multiprocessing/pool/backend')`
 * starts the pool's workers, sets their count and concurrency, sizes map's
 * chunks and refuses options; and `submitRawTask` runs a task given in the
 * worker form on a local pool. Here the backend's launcher wraps the real
 * one, so the tasks run in real workers.
 */
import { StateError } from '@multiprocessing/core';
import { Pool, ProcessPoolExecutor } from '@multiprocessing/pool';
import {
  kApply,
  kEventsFlag,
  kMap,
  kPoolBackend,
  kReportStartFlag,
  submitRawTask,
  type PoolBackend,
  type WorkerLauncher,
  type WorkerRequest,
} from '@multiprocessing/pool/internal';
// The built launcher: the one in src would look for the worker entry next to src.
import { launchPoolWorker } from '../../dist/internal/launcher.js';
import { range, tasks, within } from '../helpers.js';

const tasksUrl = new URL('../fixtures/tasks.mjs', import.meta.url).href;

/** A context whose backend starts real thread workers and records what it was asked. */
function seamContext(overrides: Partial<PoolBackend> = {}): {
  context: { startMethod: 'thread'; [kPoolBackend]: PoolBackend };
  requests: WorkerRequest[];
  live: { processes: number };
  checked: Record<string, unknown>[];
} {
  const requests: WorkerRequest[] = [];
  const live = { processes: 1 };
  const checked: Record<string, unknown>[] = [];
  const launcher: WorkerLauncher = (request) => {
    requests.push(request);
    return launchPoolWorker(request);
  };
  const backend: PoolBackend = {
    launcher,
    concurrency: 3,
    defaultProcesses: () => 2,
    liveProcesses: () => live.processes,
    checkOptions: (options) => {
      checked.push({ ...options });
      if (options.maxTasksPerChild !== undefined) throw new TypeError('maxTasksPerChild: not here');
    },
    ...overrides,
  };
  return { context: { startMethod: 'thread', [kPoolBackend]: backend }, requests, live, checked };
}

describe('the pool backend seam', () => {
  it("starts the backend's workers: its default count and its concurrency", async () => {
    const seam = seamContext();
    await using pool = new Pool({ context: seam.context });
    expect(pool.processes).toBe(2);
    expect(await within(pool.map(tasks.square, range(10)), 30_000, 'map')).toEqual(
      range(10).map((x) => x * x),
    );
    expect(seam.requests).toHaveLength(2);
    expect(seam.requests.every((r) => r.data.concurrency === 3)).toBe(true);
    expect(seam.checked).toHaveLength(1);
  });

  it('lets the backend refuse an option, for a Pool and an executor', () => {
    const seam = seamContext();
    expect(() => new Pool({ context: seam.context, maxTasksPerChild: 1 })).toThrow(
      'maxTasksPerChild: not here',
    );
    expect(() => new ProcessPoolExecutor({ context: seam.context, maxTasksPerChild: 1 })).toThrow(
      'maxTasksPerChild: not here',
    );
    expect(seam.requests).toHaveLength(0);
  });

  it("sizes map's default chunks for the backend's live process count, at each call", async () => {
    const seam = seamContext();
    await using pool = new Pool({ context: seam.context, processes: 1 });
    const chunks = async (): Promise<number> => {
      let calls = 0;
      await pool.map(tasks.square, range(64), { onProgress: () => (calls += 1) });
      return calls;
    };
    // Python's rule, ceil(64 / (4 × live)) items a chunk: 16 with 1 process, 4 with 4.
    expect(await within(chunks(), 30_000, 'map')).toBe(4);
    seam.live.processes = 4;
    expect(await within(chunks(), 30_000, 'map')).toBe(16);
  });

  it("takes the executor's default maxWorkers from the backend", async () => {
    const seam = seamContext({ defaultProcesses: () => 1 });
    await using executor = new ProcessPoolExecutor({ context: seam.context });
    expect(await within(executor.submit(tasks.square, 7).result(), 30_000, 'submit')).toBe(49);
    expect(seam.requests).toHaveLength(1);
  });
});

describe('submitRawTask', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ processes: 1 });
  });
  afterAll(async () => {
    await within(pool.terminate(), 30_000, 'terminate');
  });

  it('runs an apply and a map chunk given in the worker form', async () => {
    const spec = { kind: 'module', url: tasksUrl, name: 'square' } as const;
    const apply = submitRawTask(pool, { spec, mode: kApply, payload: [5], size: 1, timeoutMs: undefined });
    expect(await within(apply.done, 30_000, 'apply')).toEqual([true, 25]);
    const chunk = submitRawTask(pool, {
      spec,
      mode: kMap,
      payload: [1, 2, 3],
      size: 3,
      timeoutMs: undefined,
    });
    expect(await within(chunk.done, 30_000, 'chunk')).toEqual([true, [1, 4, 9]]);
    const source = { kind: 'source', source: '(a, b) => a - b', name: '' } as const;
    const sub = submitRawTask(pool, {
      spec: source,
      mode: kApply,
      payload: [5, 2],
      size: 1,
      timeoutMs: undefined,
    });
    expect(await within(sub.done, 30_000, 'source')).toEqual([true, 3]);
  });

  it('settles with the error of a failing task, and with the reason of an abort', async () => {
    const failOn = { kind: 'module', url: tasksUrl, name: 'failOn' } as const;
    const failed = submitRawTask(pool, {
      spec: failOn,
      mode: kApply,
      payload: [1, 1],
      size: 1,
      timeoutMs: undefined,
    });
    const [ok, error] = await within(failed.done, 30_000, 'failing task');
    expect(ok).toBe(false);
    expect(error).toBeInstanceOf(Error);
    const forever = { kind: 'module', url: tasksUrl, name: 'forever' } as const;
    const started: number[] = [];
    const running = submitRawTask(pool, {
      spec: forever,
      mode: kApply | kReportStartFlag,
      payload: [],
      size: 1,
      timeoutMs: undefined,
      onStart: (index) => started.push(index),
    });
    await within(
      new Promise<void>((resolve) => {
        const poll = (): void => {
          if (started.length > 0) resolve();
          else setTimeout(poll, 5);
        };
        poll();
      }),
      30_000,
      'the start report',
    );
    expect(started).toEqual([0]);
    const reason = new Error('stop now');
    running.abort(reason);
    expect(await within(running.done, 30_000, 'aborted task')).toEqual([false, reason]);
  });

  it("hands the task's progress values to onEvent", async () => {
    const source = {
      kind: 'source',
      source:
        "async (n) => { const { currentTask } = await import('@multiprocessing/pool'); for (let i = 0; i < n; i++) currentTask().progress(i); return n; }",
      name: '',
    } as const;
    const events: unknown[] = [];
    const handle = submitRawTask(pool, {
      spec: source,
      mode: kApply | kEventsFlag,
      payload: [3],
      size: 1,
      timeoutMs: undefined,
      onEvent: (value) => events.push(value),
    });
    expect(await within(handle.done, 30_000, 'progress task')).toEqual([true, 3]);
    expect(events).toEqual([0, 1, 2]);
  });

  it('refuses what is not a pool, and settles with StateError after close()', async () => {
    const spec = { kind: 'module', url: tasksUrl, name: 'square' } as const;
    expect(() =>
      submitRawTask({}, { spec, mode: kApply, payload: [1], size: 1, timeoutMs: undefined }),
    ).toThrow(TypeError);
    const closed = new Pool({ processes: 1 });
    closed.close();
    const handle = submitRawTask(closed, { spec, mode: kApply, payload: [1], size: 1, timeoutMs: undefined });
    const [ok, error] = await handle.done;
    expect(ok).toBe(false);
    expect(error).toBeInstanceOf(StateError);
    await within(closed.join(), 30_000, 'join');
  });
});
