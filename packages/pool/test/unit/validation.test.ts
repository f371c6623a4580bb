/**
 * parity: the argument checks of multiprocessing.Pool and
 * concurrent.futures.ProcessPoolExecutor, which throw before any worker starts.
 */
import { Pool } from '../../src/pool.js';
import { ProcessPoolExecutor } from '../../src/executor.js';
import { AsyncResult } from '../../src/async-result.js';
import { Future } from '../../src/future.js';
import { kMaxWorkers } from '../../src/internal/validate.js';

describe('parity: multiprocessing.Pool arguments', () => {
  it("processes < 1 is a RangeError with Python's message", () => {
    expect(() => new Pool({ processes: 0 })).toThrow(
      new RangeError('Number of processes must be at least 1'),
    );
    expect(() => new Pool({ processes: -1 })).toThrow(RangeError);
    expect(() => new Pool({ processes: 1.5 })).toThrow(TypeError);
    expect(() => new Pool({ processes: '2' as never })).toThrow(TypeError);
  });

  it('context must come from getContext(); a start-method string is refused with the call to make', () => {
    const expected = "context must be a context from getContext('thread' | 'process')";
    expect(() => new Pool({ processes: 1, context: 'process' as never })).toThrow(
      new TypeError(`${expected}, got the string 'process': pass getContext('process')`),
    );
    expect(() => new Pool({ processes: 1, context: 5 as never })).toThrow(
      new TypeError(`${expected}, got 5`),
    );
    expect(() => new ProcessPoolExecutor({ maxWorkers: 1, context: {} as never })).toThrow(
      new TypeError(`${expected}, got an object whose startMethod is undefined`),
    );
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

  it('concurrentTasksPerWorker is an integer from 1 to 1024', () => {
    const bound = 'concurrentTasksPerWorker must be an integer from 1 to 1024';
    for (const bad of [0, -1, 1025, 1e12, Infinity, -Infinity]) {
      expect(() => new Pool({ processes: 1, concurrentTasksPerWorker: bad })).toThrow(
        new RangeError(`${bound}, got ${String(bad)}`),
      );
    }
    expect(() => new Pool({ processes: 1, concurrentTasksPerWorker: 2.5 })).toThrow(
      new TypeError(`${bound}, got 2.5`),
    );
    expect(() => new Pool({ processes: 1, concurrentTasksPerWorker: NaN })).toThrow(
      new TypeError(`${bound}, got NaN`),
    );
    for (const bad of ['4', null, true]) {
      expect(() => new Pool({ processes: 1, concurrentTasksPerWorker: bad as never })).toThrow(TypeError);
    }
    expect(() => new ProcessPoolExecutor({ maxWorkers: 1, concurrentTasksPerWorker: 0 })).toThrow(
      new RangeError(`${bound}, got 0`),
    );
  });

  it('captureOutput is a boolean or a function', () => {
    for (const [bad, got] of [
      ['yes', 'string'],
      [1, 'number'],
      [null, 'null'],
      [{}, 'object'],
    ] as const) {
      expect(() => new Pool({ processes: 1, captureOutput: bad as never })).toThrow(
        new TypeError(`captureOutput must be a boolean or a function (line, info) => void, got ${got}`),
      );
    }
    expect(() => new ProcessPoolExecutor({ maxWorkers: 1, captureOutput: 0 as never })).toThrow(
      /^captureOutput must be a boolean or a function/,
    );
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

  it(`processes above ${String(kMaxWorkers)} is a RangeError naming processes and the bound, before any worker starts`, () => {
    for (const bad of [kMaxWorkers + 1, 1e12, Infinity]) {
      expect(() => new Pool({ processes: bad })).toThrow(
        new RangeError(`processes must be at most ${String(kMaxWorkers)}, got ${String(bad)}`),
      );
    }
    expect(() => new Pool({ processes: NaN })).toThrow(
      new TypeError('processes must be a positive integer, got NaN'),
    );
  });

  it('options that are not an object (null, an array) are a TypeError; there is no positional count', () => {
    expect(() => new Pool(null as never)).toThrow(new TypeError('options must be an object, got null'));
    expect(() => new Pool([] as never)).toThrow(new TypeError('options must be an object, got an array'));
    expect(() => new Pool(4 as never)).toThrow(new TypeError('options must be an object, got number'));
  });

  it('resourceLimits sizes are positive finite numbers of MB, under known keys', () => {
    const pool = (resourceLimits: unknown): Pool =>
      new Pool({ processes: 1, resourceLimits: resourceLimits as never });
    expect(() => pool({ maxOldGenerationSizeMb: 'x' })).toThrow(
      new TypeError('resourceLimits.maxOldGenerationSizeMb must be a number of MB, got string'),
    );
    for (const bad of [NaN, 0, -1, Infinity]) {
      expect(() => pool({ maxOldGenerationSizeMb: bad })).toThrow(
        new RangeError(
          `resourceLimits.maxOldGenerationSizeMb must be a finite number of MB greater than 0, got ${String(bad)}`,
        ),
      );
    }
    expect(() => pool({ stackSizeMb: NaN })).toThrow(/^resourceLimits\.stackSizeMb must be a finite number/);
    expect(() => pool({ maxOldGenSizeMb: 64 })).toThrow(
      new TypeError(
        'resourceLimits.maxOldGenSizeMb is not a resource limit ' +
          '(maxOldGenerationSizeMb, maxYoungGenerationSizeMb, codeRangeSizeMb, stackSizeMb)',
      ),
    );
    expect(() => pool([])).toThrow(new TypeError('resourceLimits must be an object'));
  });
});

describe('parity: concurrent.futures.ProcessPoolExecutor arguments', () => {
  it('maxWorkers <= 0 is a RangeError naming maxWorkers (Python: max_workers must be greater than 0)', () => {
    expect(() => new ProcessPoolExecutor({ maxWorkers: 0 })).toThrow(
      new RangeError('maxWorkers must be greater than 0'),
    );
    expect(() => new ProcessPoolExecutor({ maxWorkers: -3 })).toThrow(
      new RangeError('maxWorkers must be greater than 0'),
    );
    expect(() => new ProcessPoolExecutor({ maxTasksPerChild: 0 })).toThrow(RangeError);
  });

  it(`maxWorkers above ${String(kMaxWorkers)} is a RangeError naming maxWorkers and the bound`, () => {
    expect(() => new ProcessPoolExecutor({ maxWorkers: 1e12 })).toThrow(
      new RangeError(`maxWorkers must be at most ${String(kMaxWorkers)}, got 1000000000000`),
    );
  });

  it('options that are not an object are a TypeError', () => {
    expect(() => new ProcessPoolExecutor(null as never)).toThrow(
      new TypeError('options must be an object, got null'),
    );
    expect(() => new ProcessPoolExecutor([] as never)).toThrow(
      new TypeError('options must be an object, got an array'),
    );
  });
});

describe('result objects', () => {
  it('AsyncResult is made by the pool only; a Future made by hand takes no arguments', () => {
    expect(() => new (AsyncResult as unknown as new () => unknown)()).toThrow(TypeError);
    expect(() => new (Future as unknown as new (token: symbol) => unknown)(Symbol('forged'))).toThrow(
      new TypeError('new Future() takes no arguments'),
    );
    expect(new Future().done()).toBe(false);
  });
});
