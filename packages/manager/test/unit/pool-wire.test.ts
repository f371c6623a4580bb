import { PicklingError, decode, encode, moduleRef, taskRef } from '@multiprocessing/core';
import { itemsToWire, optionsToWire, taskFromWire, taskToWire } from '../../src/internal/pool-wire.js';

const url = new URL('../fixtures/pool-tasks.mjs', import.meta.url);

/** What the manager's msgpack codec delivers to the server. */
function overTheWire<T>(value: T): T {
  return (decode(encode([value], 'args')) as [T])[0];
}

describe(taskToWire, () => {
  it('turns a TaskRef into a spec that survives the codec and names the same export', async () => {
    const tasks = moduleRef<{ square: (x: number) => number }>(url);
    const spec = overTheWire(taskToWire(tasks.square));
    expect(spec).toEqual({ kind: 'module', url: url.href, name: 'square' });
    expect(await taskFromWire(spec)).toMatchObject({ url: url.href, name: 'square' });
  });

  it('accepts a TaskRef sent as it is (plain {url, name} after the codec)', async () => {
    const ref = overTheWire(taskRef(url, 'power'));
    expect(ref).toEqual({ url: url.href, name: 'power' });
    expect(await taskFromWire(ref)).toMatchObject({ url: url.href, name: 'power' });
  });

  it('sends a self-contained function as source, compiled again in the server', async () => {
    const fn = await taskFromWire(overTheWire(taskToWire((x: number) => x + 1)));
    expect(typeof fn).toBe('function');
    expect((fn as (x: number) => number)(1)).toBe(2);
  });

  it('refuses a closure with PicklingError and a non-task with TypeError, naming fn', () => {
    const y = 3;
    expect(() => taskToWire((x: number) => x + y)).toThrow(PicklingError);
    expect(() => taskToWire(42)).toThrow(/^fn must be a function or a task reference/);
    expect(() => taskFromWire({ kind: 'module' })).toThrow(TypeError);
    expect(() => taskFromWire('square', 'options.initializer')).toThrow(/^options\.initializer must be/);
  });
});

describe(optionsToWire, () => {
  it('keeps plain options, drops undefined ones, sends tasks as specs and a context as its start method', () => {
    const context = { startMethod: 'process', Process: class {} };
    expect(
      optionsToWire({
        processes: 2,
        timeout: undefined,
        initializer: taskRef(url, 'square'),
        finalizer: null,
        context,
      }),
    ).toEqual({
      processes: 2,
      initializer: { kind: 'module', url: url.href, name: 'square' },
      finalizer: null,
      context: { startMethod: 'process' },
    });
    expect(optionsToWire(undefined)).toBeUndefined();
  });

  it('refuses what cannot reach the server with a TypeError naming the option', () => {
    expect(() => optionsToWire({ callback: () => undefined })).toThrow(/^options\.callback cannot reach/);
    expect(() => optionsToWire({ signal: new AbortController().signal })).toThrow(
      /^options\.signal cannot reach .*an AbortSignal/,
    );
    expect(() => optionsToWire({ transfer: [] })).toThrow(/^options\.transfer cannot reach/);
    expect(() => optionsToWire('fast')).toThrow(/^options must be an object, got string/);
    expect(() => optionsToWire([1])).toThrow(/got an array/);
  });
});

describe(itemsToWire, () => {
  it('sends iterables as arrays and refuses an async iterable', () => {
    const arr = [1, 2];
    expect(itemsToWire(arr)).toBe(arr);
    expect(itemsToWire(new Set([1, 2]))).toEqual([1, 2]);
    expect(itemsToWire(new Int8Array([3]))).toEqual([3]);
    async function* gen(): AsyncGenerator<number> {
      yield await Promise.resolve(1);
    }
    expect(() => itemsToWire(gen())).toThrow(/^iterable must be an iterable: an async iterable/);
    expect(itemsToWire(5)).toBe(5);
  });
});
