/**
 * The checks of `abortGracePeriod` (thrown before any worker starts) and
 * `currentTask()` called outside a pool task.
 */
import { StateError } from '@multiprocessing/core';
import { Pool } from '../../src/pool.js';
import { currentTask } from '../../src/current-task.js';

describe('PoolOptions.abortGracePeriod', () => {
  it('is a finite number of seconds ≥ 0', () => {
    for (const bad of [-1, -0.001, NaN, Infinity, -Infinity]) {
      expect(() => new Pool({ processes: 1, abortGracePeriod: bad })).toThrow(
        new RangeError(`abortGracePeriod must be a finite number of seconds ≥ 0, got ${String(bad)}`),
      );
    }
    for (const bad of ['1', true, {}, 1n]) {
      expect(() => new Pool({ processes: 1, abortGracePeriod: bad as never })).toThrow(
        new TypeError(`abortGracePeriod must be a number of seconds, got ${typeof bad}`),
      );
    }
  });
});

describe(currentTask, () => {
  it('throws StateError outside a pool task', () => {
    expect(() => currentTask()).toThrow(StateError);
    expect(() => currentTask()).toThrow('currentTask() must be called while a pool task runs, in its worker');
  });
});
