/**
 * `concurrentTasksPerWorker` and `captureOutput` on ProcessPoolExecutor: the
 * same scheduler as the Pool, so the same behaviour.
 */
import { getContext } from '@multiprocessing/process';
import { moduleRef, ProcessPoolExecutor } from '@multiprocessing/pool';
import type * as ConcurrentTasks from '../fixtures/concurrent-tasks.mjs';
import { openGate, type Gate } from '../gate.js';
import { startMethods, within } from '../helpers.js';

const ctasks = moduleRef<typeof ConcurrentTasks>(
  new URL('../fixtures/concurrent-tasks.mjs', import.meta.url),
);

describe.each(startMethods)(
  'ProcessPoolExecutor concurrentTasksPerWorker and captureOutput [%s]',
  (method) => {
    let executor: ProcessPoolExecutor | undefined;
    let gate: Gate;
    beforeEach(async () => {
      gate = await openGate();
    });
    afterEach(async () => {
      if (executor) await within(executor.terminateWorkers(), 30_000, 'executor.terminateWorkers()');
      executor = undefined;
      await gate.close();
    });

    it('one worker runs three submitted async tasks at once, each running()', async () => {
      executor = new ProcessPoolExecutor({
        maxWorkers: 1,
        concurrentTasksPerWorker: 3,
        context: getContext(method),
      });
      const futures = [0, 1, 2].map((id) => executor!.submit(ctasks.gated, gate.path, id));
      await gate.arrived(3);
      expect(futures.map((f) => f.running())).toEqual([true, true, true]);
      for (const id of [1, 2, 0]) gate.release(id);
      const results = await within(Promise.all(futures), 30_000, 'the futures');
      expect(results.map((r) => r.id)).toEqual([0, 1, 2]);
      expect(new Set(results.map((r) => r.worker)).size).toBe(1);
    });

    it('captureOutput hands each line to the function', async () => {
      const lines: string[] = [];
      executor = new ProcessPoolExecutor({
        maxWorkers: 1,
        context: getContext(method),
        captureOutput: (line, info) => {
          lines.push(`${info.stream} ${line}`);
        },
      });
      await within(executor.submit(ctasks.talk, 'x'), 30_000, 'executor.submit(ctasks.talk, …)');
      await within(executor.shutdown({ wait: true }), 30_000, 'executor.shutdown()');
      expect(lines.sort()).toEqual(['stderr err x', 'stdout out x']);
    });
  },
);
