/**
 * Beyond Python: `currentTask()` in tasks that share a worker
 * (`concurrentTasksPerWorker` above 1). Each task has its own progress
 * channel and abort signal; aborting one signals only that one, and a task
 * that stops in response keeps its worker without disturbing the others.
 * The tasks are gated on a Unix socket (test/gate.ts): no timing involved.
 */
import { getContext } from '@multiprocessing/process';
import { moduleRef, Pool } from '@multiprocessing/pool';
import type * as TalkTasks from '../fixtures/concurrent-talk-tasks.mjs';
import { poolAndGate } from '../pool-hooks.js';
import { startMethods, within } from '../helpers.js';

const ctalk = moduleRef<typeof TalkTasks>(new URL('../fixtures/concurrent-talk-tasks.mjs', import.meta.url));

describe.each(startMethods)('currentTask() with concurrentTasksPerWorker [%s]', (method) => {
  const t = poolAndGate();

  it("three tasks on one worker: each one's progress reaches its own caller", async () => {
    t.pool = new Pool({ processes: 1, concurrentTasksPerWorker: 3, context: getContext(method) });
    const events: unknown[][] = [[], [], []];
    const calls = [0, 1, 2].map((id) =>
      t.pool!.apply(ctalk.talkative, [t.gate.path, id], { onEvent: (value) => events[id]!.push(value) }),
    );
    await t.gate.arrived(3);
    for (const id of [2, 0, 1]) t.gate.release(id);
    const results = await within(Promise.all(calls), 30_000, 'the three tasks');
    expect(results.map((r) => r.id)).toEqual([0, 1, 2]);
    expect(events).toEqual([0, 1, 2].map((id) => [`${String(id)}:start`, `${String(id)}:go`]));
    expect(t.pool.stats().workersStarted).toBe(1);
  });

  it('aborting one of three signals only that one; it stops, the other two finish, the worker stays', async () => {
    // A grace period longer than any wait here: only a task that stops lets its worker take new work.
    t.pool = new Pool({
      processes: 1,
      concurrentTasksPerWorker: 3,
      abortGracePeriod: 600,
      context: getContext(method),
    });
    const before = await within(t.pool.apply(ctalk.identity), 30_000, 'identity before');
    const events: unknown[][] = [[], [], []];
    const controller = new AbortController();
    const calls = [0, 1, 2].map((id) =>
      t.pool!.apply(ctalk.talkative, [t.gate.path, id], {
        onEvent: (value) => events[id]!.push(value),
        ...(id === 1 ? { signal: controller.signal } : {}),
      }),
    );
    await t.gate.arrived(3);
    controller.abort();
    await expect(within(calls[1]!, 30_000, 'the aborted task')).rejects.toMatchObject({ name: 'AbortError' });
    // The worker takes new work only once the aborted task has stopped there.
    expect(await within(t.pool.apply(ctalk.seen), 30_000, 'seen')).toEqual({ 1: 'AbortError' });
    t.gate.release(0);
    t.gate.release(2);
    const [r0, r2] = await within(Promise.all([calls[0]!, calls[2]!]), 30_000, 'the other two tasks');
    expect(r0).toEqual({ id: 0, ...before });
    expect(r2).toEqual({ id: 2, ...before });
    expect(events).toEqual([['0:start', '0:go'], ['1:start'], ['2:start', '2:go']]);
    expect(await within(t.pool.apply(ctalk.identity), 30_000, 'identity after')).toEqual(before);
    expect(t.pool.stats().workersStarted).toBe(1);
  });
});
