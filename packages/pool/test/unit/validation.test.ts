/**
 * parity: the argument checks of multiprocessing.Pool and
 * concurrent.futures.ProcessPoolExecutor, which throw before any worker starts.
 */
import { Pool } from '../../src/pool.js';
import { ProcessPoolExecutor } from '../../src/executor.js';
import { AsyncResult } from '../../src/async-result.js';
import { Future } from '../../src/future.js';

describe('parity: multiprocessing.Pool arguments', () => {
  it('processes < 1 is a RangeError with Python\'s message', () => {
    expect(() => new Pool({ processes: 0 })).toThrow(new RangeError('Number of processes must be at least 1'));
    expect(() => new Pool({ processes: -1 })).toThrow(RangeError);
    expect(() => new Pool({ processes: 1.5 })).toThrow(TypeError);
    expect(() => new Pool({ processes: '2' as never })).toThrow(TypeError);
  });

  it('initializer must be a task', () => {
    expect(() => new Pool({ processes: 1, initializer: 42 as never })).toThrow(
      /^initializer must be a callable/,
    );
    expect(() => new Pool({ processes: 1, initializer: 'init' as never })).toThrow(TypeError);
    expect(() => new Pool({ processes: 1, initializer: () => undefined, initArgs: 'x' as never })).toThrow(
      new TypeError('initArgs must be an array'),
    );
  });

  it('a closure as initializer is a PicklingError in the caller', () => {
    const outer = 1;
    expect(() => new Pool({ processes: 1, initializer: () => outer })).toThrow(/'outer'/);
  });

  it('maxTasksPerChild is a positive integer or undefined', () => {
    for (const bad of [0, -1, 0.5]) {
      expect(() => new Pool({ processes: 1, maxTasksPerChild: bad })).toThrow(RangeError);
    }
    expect(() => new Pool({ processes: 1, maxTasksPerChild: '12' as never })).toThrow(TypeError);
  });

  it('context and resourceLimits are checked', () => {
    expect(() => new Pool({ processes: 1, context: { startMethod: 'fork' } as never })).toThrow(TypeError);
    expect(
      () =>
        new Pool({
          processes: 1,
          context: { startMethod: 'process' },
          resourceLimits: { maxOldGenerationSizeMb: 32 },
        }),
    ).toThrow(/thread/);
    expect(() => new Pool('x' as never)).toThrow(TypeError);
  });
});

describe('parity: concurrent.futures.ProcessPoolExecutor arguments', () => {
  it('max_workers <= 0 is a RangeError with Python\'s message', () => {
    expect(() => new ProcessPoolExecutor({ maxWorkers: 0 })).toThrow(new RangeError('max_workers must be greater than 0'));
    expect(() => new ProcessPoolExecutor({ maxTasksPerChild: 0 })).toThrow(RangeError);
  });
});

describe('result objects', () => {
  it('AsyncResult and Future are made by the pool only', () => {
    expect(() => new (AsyncResult as unknown as new () => unknown)()).toThrow(TypeError);
    expect(() => new (Future as unknown as new () => unknown)()).toThrow(TypeError);
  });
});
