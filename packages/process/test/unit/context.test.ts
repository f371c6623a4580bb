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
    expect(() => {
      setStartMethod('spawn' as never);
    }).toThrow(/method/);
    expect(getAllStartMethods()).toEqual(['thread', 'process']);
  });
});
