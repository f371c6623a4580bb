/**
 * The checks of the worker lifecycle options (finalizer, finalizerArgs,
 * finalizerTimeout, maxMemoryPerChild, env, argv, execArgv, workerData),
 * which throw before any worker starts.
 */
import { PicklingError } from '@multiprocessing/core';
import { Pool } from '../../src/pool.js';
import { ProcessPoolExecutor } from '../../src/executor.js';
import {
  finalizerTimeoutOption,
  maxMemoryOption,
  workerLifecycleOption,
} from '../../src/internal/lifecycle-options.js';

const pool = (options: Record<string, unknown>): Pool => new Pool({ processes: 1, ...options });

describe('worker lifecycle options', () => {
  it('finalizer must be a task and finalizerArgs an array', () => {
    expect(() => pool({ finalizer: 'x' })).toThrow(
      new TypeError('finalizer must be a callable (a function or a task reference)'),
    );
    expect(() => pool({ finalizer: () => undefined, finalizerArgs: 'x' })).toThrow(
      new TypeError('finalizerArgs must be an array'),
    );
    expect(() => pool({ finalizer: () => undefined, finalizerArgs: [() => 1] })).toThrow(PicklingError);
    expect(() => new ProcessPoolExecutor({ maxWorkers: 1, finalizer: 5 as never })).toThrow(
      new TypeError('finalizer must be a callable (a function or a task reference)'),
    );
  });

  it('finalizerTimeout is a number of seconds ≥ 0; Infinity is no limit; the default is 5 s', () => {
    expect(() => pool({ finalizerTimeout: '1' })).toThrow(
      new TypeError("finalizerTimeout must be a number of seconds, null or undefined, got string '1'"),
    );
    expect(() => pool({ finalizerTimeout: NaN })).toThrow(
      new RangeError('finalizerTimeout must be a number of seconds, got NaN'),
    );
    expect(() => pool({ finalizerTimeout: -1 })).toThrow(
      new RangeError('finalizerTimeout must be a number of seconds ≥ 0, got -1'),
    );
    expect(() => pool({ finalizerTimeout: -Infinity })).toThrow(RangeError);
    expect(finalizerTimeoutOption(undefined)).toBe(5000);
    expect(finalizerTimeoutOption(null)).toBe(5000);
    expect(finalizerTimeoutOption(0)).toBe(0);
    expect(finalizerTimeoutOption(0.25)).toBe(250);
    expect(finalizerTimeoutOption(Infinity)).toBeUndefined();
    // A huge limit is kept (the timer re-arms past setTimeout's maximum).
    expect(finalizerTimeoutOption(1e300)).toBe(1e303);
  });

  it('maxMemoryPerChild is a number of MiB > 0; Infinity (or a size past any heap) is no limit', () => {
    expect(() => pool({ maxMemoryPerChild: '64' })).toThrow(
      new TypeError('maxMemoryPerChild must be a number of MiB or undefined, got string'),
    );
    for (const bad of [0, -1, NaN, -Infinity]) {
      expect(() => pool({ maxMemoryPerChild: bad })).toThrow(
        new RangeError(`maxMemoryPerChild must be a number of MiB greater than 0, got ${String(bad)}`),
      );
    }
    expect(() => new ProcessPoolExecutor({ maxWorkers: 1, maxMemoryPerChild: 0 })).toThrow(RangeError);
    expect(maxMemoryOption(undefined)).toBe(0);
    expect(maxMemoryOption(null)).toBe(0);
    expect(maxMemoryOption(0.5)).toBe(512 * 1024);
    expect(maxMemoryOption(64)).toBe(64 * 1024 * 1024);
    expect(maxMemoryOption(Infinity)).toBe(0);
    expect(maxMemoryOption(Number.MAX_VALUE)).toBe(0);
  });

  it('env is an object of strings', () => {
    expect(() => pool({ env: 'A=1' })).toThrow(new TypeError('env must be an object of strings, got string'));
    expect(() => pool({ env: ['A=1'] })).toThrow(
      new TypeError('env must be an object of strings, got an array'),
    );
    expect(() => pool({ env: { A: 1 } })).toThrow(new TypeError('env.A must be a string, got number'));
    expect(() => pool({ env: { A: undefined } })).toThrow(
      new TypeError('env.A must be a string, got undefined'),
    );
  });

  it('argv and execArgv are arrays of strings', () => {
    for (const name of ['argv', 'execArgv']) {
      expect(() => pool({ [name]: '--x' })).toThrow(new TypeError(`${name} must be an array of strings`));
      expect(() => pool({ [name]: ['--x', 5] })).toThrow(
        new TypeError(`${name}[1] must be a string, got number`),
      );
      expect(() => new ProcessPoolExecutor({ maxWorkers: 1, [name]: [null] })).toThrow(
        new TypeError(`${name}[0] must be a string, got object`),
      );
    }
  });

  it('workerData must be something a task argument may be', () => {
    expect(() => pool({ workerData: { f: () => 1 } })).toThrow(PicklingError);
    expect(() => pool({ workerData: { f: () => 1 } })).toThrow(/ at workerData\.f cannot be sent/);
  });

  it('copies env, argv and execArgv; none set adds nothing to the launch', () => {
    const env: Record<string, string> = { A: '1' };
    const argv = ['--a'];
    const life = workerLifecycleOption({ env, argv, execArgv: [] }, false)!;
    env.A = '2';
    argv.push('--b');
    expect(life.env).toEqual({ A: '1' });
    expect(life.argv).toEqual(['--a']);
    expect(life.execArgv).toEqual([]);
    expect(workerLifecycleOption({}, false)).toBeUndefined();
    expect(
      workerLifecycleOption({ env: null, argv: null, finalizer: null, maxMemoryPerChild: null }, true),
    ).toBeUndefined();
  });
});
