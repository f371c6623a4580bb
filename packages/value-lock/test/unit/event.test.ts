import { Event } from '../../src/event.js';

describe('parity: multiprocessing.Event', () => {
  it('sets, clears and reports its flag', () => {
    const event = new Event();
    expect(event.isSet()).toBe(false);
    expect(event.toString()).toBe('<Event unset>');
    event.set();
    expect(event.isSet()).toBe(true);
    expect(event.waitSync()).toBe(true);
    expect(event.toString()).toBe('<Event set>');
    event.clear();
    expect(event.isSet()).toBe(false);
  });

  it('times out with false within loose bounds; negative means 0', async () => {
    const event = new Event();
    let t0 = performance.now();
    expect(event.waitSync(0.05)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    t0 = performance.now();
    await expect(event.wait(0.05)).resolves.toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(performance.now() - t0).toBeLessThan(3000);
    await expect(event.wait(-5)).resolves.toBe(false);
    expect(event.waitSync(-5)).toBe(false);
  });

  it('wakes every pending async waiter on set()', async () => {
    const event = new Event();
    const waits = [event.wait(10), event.wait(10), event.wait()];
    event.set();
    await expect(Promise.all(waits)).resolves.toEqual([true, true, true]);
  });

  it('rejects a bad timeout', async () => {
    const event = new Event();
    expect(() => event.waitSync('1' as never)).toThrow(/timeout/);
    await expect(event.wait('1' as never)).rejects.toThrow(TypeError);
  });
});
