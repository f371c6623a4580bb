import { getAllStartMethods, getContext, getStartMethod, setStartMethod } from '../../src/context.js';
import { Process } from '../../src/process.js';

describe('parity: multiprocessing.set_start_method / get_start_method / get_context', () => {
  it("defaults to 'thread' and fixes the method once", () => {
    expect(getStartMethod()).toBe('thread');
    expect(getStartMethod({ allowNone: true })).toBeNull();
    expect(getContext().startMethod).toBe('thread');
    setStartMethod('process');
    expect(getStartMethod()).toBe('process');
    expect(getContext().startMethod).toBe('process');
    expect(() => {
      setStartMethod('thread');
    }).toThrow(expect.objectContaining({ code: 'ERR_MP_STATE', message: 'context has already been set' }));
    setStartMethod('thread', { force: true });
    expect(getStartMethod()).toBe('thread');
    setStartMethod(null, { force: true });
    expect(getStartMethod({ allowNone: true })).toBeNull();
  });

  it('returns one context per method, whose Process uses that method', () => {
    const ctx = getContext('process');
    expect(ctx).toBe(getContext('process'));
    expect(ctx.startMethod).toBe('process');
    const p = new ctx.Process({ target: () => undefined });
    expect(p).toBeInstanceOf(Process);
    expect(p.startMethod).toBe('process');
    expect(new Process({ target: () => undefined }).startMethod).toBe('thread');
    expect(ctx.Process.name).toBe('Process');
  });

  it('rejects unknown methods with TypeError', () => {
    expect(() => getContext('fork' as never)).toThrow(TypeError);
    expect(() => getContext('posix' as never)).toThrow(TypeError);
    expect(() => {
      setStartMethod('posix' as never);
    }).toThrow(/method/);
    expect(getStartMethod({ allowNone: true })).toBeNull();
    expect(getAllStartMethods()).toEqual(['thread', 'process']);
  });

  it("takes Python's 'spawn' and 'forkserver' as aliases of 'process'", () => {
    for (const alias of ['spawn', 'forkserver'] as const) {
      const ctx = getContext(alias);
      expect(ctx).toBe(getContext('process'));
      expect(ctx.startMethod).toBe('process');
      expect(new ctx.Process({ target: () => undefined }).startMethod).toBe('process');
      setStartMethod(alias, { force: true });
      expect(getStartMethod()).toBe('process');
      expect(getContext().startMethod).toBe('process');
      setStartMethod(null, { force: true });
    }
    expect(getStartMethod({ allowNone: true })).toBeNull();
    expect(getAllStartMethods()).toEqual(['thread', 'process']);
  });

  it("refuses 'fork' with a TypeError that says why and what to use", () => {
    const why =
      "method 'fork' is not supported: Node cannot fork a running process (its threads and event loop " +
      "cannot be copied into a child); use 'process' (or its aliases 'spawn', 'forkserver') for a fresh " +
      "Node process, or 'thread'";
    // @ts-expect-error -- 'fork' is not a StartMethodName: the type refuses it too
    expect(() => getContext('fork')).toThrow(new TypeError(why));
    expect(() => {
      setStartMethod('fork' as never);
    }).toThrow(new TypeError(why));
    expect(() => {
      setStartMethod('fork' as never, { force: true });
    }).toThrow(new TypeError(why));
    expect(getStartMethod({ allowNone: true })).toBeNull();
  });
});
