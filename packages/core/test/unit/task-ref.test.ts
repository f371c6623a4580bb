import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as tasksModule from '../fixtures/tasks.mjs';
import {
  PicklingError,
  isTaskRef,
  moduleRef,
  taskRef,
  type TaskArgs,
  type TaskResult,
} from '../../src/index.js';
import { loadTask, taskKey, toTaskSpec } from '../../src/internal/index.js';

const tasksUrl = new URL('../fixtures/tasks.mjs', import.meta.url);
const tasksPath = fileURLToPath(tasksUrl);

// A type-level check: moduleRef infers argument and result types.
type Tasks = typeof tasksModule;
const typed = moduleRef<Tasks>(tasksUrl);
const args: TaskArgs<typeof typed.square> = [3];
const result: TaskResult<typeof typed.slowDouble> = 6;
expect(typed.square.name).toBe('square');

describe(taskRef, () => {
  it.each([
    ['a URL', tasksUrl],
    ['a file: URL string', tasksUrl.href],
    ['an absolute path', tasksPath],
  ])('accepts %s', (_label, url) => {
    const ref = taskRef(url, 'square');
    expect(ref.url).toBe(pathToFileURL(tasksPath).href);
    expect(ref.name).toBe('square');
    expect(isTaskRef(ref)).toBe(true);
  });

  it('rejects a relative path and a non-file URL with a TypeError naming the argument', () => {
    expect(() => taskRef('./tasks.mjs', 'square')).toThrow(TypeError);
    expect(() => taskRef('./tasks.mjs', 'square')).toThrow(/url must be/);
    expect(() => taskRef(new URL('https://example.org/x.js'), 'square')).toThrow(/file: URL/);
    expect(() => taskRef(tasksUrl, '')).toThrow(/name/);
  });
});

describe(moduleRef, () => {
  it('gives a TaskRef per export, cached', () => {
    const mod = moduleRef<Tasks>(tasksUrl);
    expect(mod.square.name).toBe('square');
    expect(mod.square.url).toBe(tasksUrl.href);
    expect(mod.square).toBe(mod.square);
    expect(args).toEqual([3]);
    expect(result).toBe(6);
  });

  it('is not thenable, so it can be awaited or returned from async code', async () => {
    const mod = moduleRef<Tasks>(tasksUrl);
    expect((mod as unknown as { then?: unknown }).then).toBeUndefined();
    await expect(Promise.resolve(mod)).resolves.toBe(mod);
  });
});

describe(toTaskSpec, () => {
  it('turns a TaskRef into a module spec that survives structured clone', () => {
    const spec = toTaskSpec(structuredClone({ ...taskRef(tasksUrl, 'square') }));
    expect(spec).toEqual({ kind: 'module', url: tasksUrl.href, name: 'square' });
  });

  it('turns a self-contained function into source', () => {
    const spec = toTaskSpec((x: number) => Math.sqrt(x) + Number.EPSILON);
    expect(spec.kind).toBe('source');
    expect(taskKey(spec)).toContain('Math.sqrt');
  });

  it('accepts functions that use only their own names and worker globals', () => {
    expect(() =>
      toTaskSpec(function fib(n: number): number {
        const memo = new Map<number, number>();
        const go = (k: number): number => {
          if (k < 2) return k;
          const hit = memo.get(k);
          if (hit !== undefined) return hit;
          const v = go(k - 1) + go(k - 2);
          memo.set(k, v);
          return v;
        };
        try {
          return go(n);
        } catch (err) {
          console.error(err, arguments.length);
          return -1;
        }
      }),
    ).not.toThrow();
    expect(() => toTaskSpec(({ a, b: [c] }: { a: number; b: number[] }) => ({ a, c }))).not.toThrow();
  });

  it('names the outer variable and shows the moduleRef fix for a closure', () => {
    const factor = 3;
    const scale = (x: number) => x * factor;
    expect(() => toTaskSpec(scale, 'fn')).toThrow(PicklingError);
    let message = '';
    try {
      toTaskSpec(scale, 'fn');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("'factor'");
    expect(message).toContain('moduleRef');
    expect(message).toContain('scale');
    expect(message).toMatch(/^fn:/);
  });

  it('lists every outer variable', () => {
    const a = 1;
    const b = 2;
    expect(() => toTaskSpec(() => a + b)).toThrow(/'a', 'b'/);
  });

  it('compiles method shorthand', async () => {
    const obj = {
      triple(x: number) {
        return x * 3;
      },
    };
    const method: unknown = Object.getOwnPropertyDescriptor(obj, 'triple')?.value;
    const fn = await loadTask(toTaskSpec(method));
    expect(fn(4)).toBe(12);
  });

  it('refuses native and bound functions, classes and non-functions', () => {
    expect(() => toTaskSpec(Math.max)).toThrow(PicklingError);
    expect(() => toTaskSpec((() => 1).bind(null))).toThrow(/native or bound/);
    expect(() => toTaskSpec(class Foo {})).toThrow(PicklingError);
    expect(() => toTaskSpec(42, 'target')).toThrow(TypeError);
    expect(() => toTaskSpec(42, 'target')).toThrow(/^target must be/);
  });
});

describe(loadTask, () => {
  it('compiles source once per thread and calls it', async () => {
    const spec = toTaskSpec((x: number, y: number) => x ** y);
    const fn = await loadTask(spec);
    expect(fn(2, 10)).toBe(1024);
    expect(await loadTask(spec)).toBe(fn);
  });

  it('imports a module export, ESM and CommonJS', async () => {
    const square = await loadTask(toTaskSpec(taskRef(tasksUrl, 'square')));
    expect(square(7)).toBe(49);
    const cube = await loadTask(
      toTaskSpec(taskRef(new URL('../fixtures/tasks.cjs', import.meta.url), 'cube')),
    );
    expect(cube(3)).toBe(27);
  });

  it('rejects with a TypeError for a missing export or a non-function export', async () => {
    await expect(loadTask(toTaskSpec(taskRef(tasksUrl, 'nope')))).rejects.toThrow(
      /no exported function 'nope'/,
    );
    await expect(loadTask(toTaskSpec(taskRef(tasksUrl, 'notAFunction')))).rejects.toThrow(TypeError);
  });
});
