import { Process } from '../../src/process.js';

describe(Process, () => {
  it('is initial until started: no pid, ident or exitcode; Python-like repr', () => {
    const p = new Process({ target: () => undefined, name: 'job' });
    expect(p.pid).toBeNull();
    expect(p.ident).toBeNull();
    expect(p.exitcode).toBeNull();
    expect(p.isAlive()).toBe(false);
    expect(String(p)).toBe(`<Process name='job' parent=${String(process.pid)} initial>`);
    p.daemon = true;
    p.name = 'job2';
    expect(String(p)).toBe(`<Process name='job2' parent=${String(process.pid)} initial daemon>`);
    p.close();
    expect(String(p)).toContain('closed');
  });

  it('numbers default names per creating thread', () => {
    const a = new Process({ target: () => undefined });
    const b = new Process({ target: () => undefined });
    expect(a.name).toMatch(/^Process-\d+$/);
    expect(Number(b.name.slice('Process-'.length))).toBe(Number(a.name.slice('Process-'.length)) + 1);
  });

  it('closes before start, idempotently, and then refuses use', async () => {
    const p = new Process({ target: () => undefined });
    p.close();
    p.close();
    expect(() => {
      p.start();
    }).toThrow('process object is closed');
    expect(() => p.pid).toThrow('process object is closed');
    expect(() => {
      p.terminate();
    }).toThrow('process object is closed');
    await expect(p.join()).rejects.toThrow('process object is closed');
    expect(() => {
      p.daemon = true;
    }).toThrow('process object is closed');
  });

  it('rejects a closure at start() with a PicklingError that shows the fix', () => {
    const offset = 1;
    const p = new Process({ target: (x: number) => x + offset, args: [1] });
    expect(() => {
      p.start();
    }).toThrow(
      expect.objectContaining({
        name: 'PicklingError',
        message: expect.stringMatching(/'offset'.*moduleRef/s),
      }),
    );
  });

  it('does nothing on terminate() and kill() before start()', () => {
    const p = new Process({ target: () => undefined });
    expect(() => {
      p.terminate();
      p.kill();
    }).not.toThrow();
  });
});
