import { types } from 'node:util';
import {
  activeChildren,
  currentProcess,
  getContext,
  moduleRef,
  taskRef,
  type Process,
  type StartMethod,
} from '@multiprocessing/process';
import { exitedWithin, joinWithin, openInbox, within, type Inbox } from '../helpers.js';
import { Toy } from '../fixtures/toy-shareable.mjs';
import type * as Tasks from '../fixtures/tasks.mjs';

const tasksUrl = new URL('../fixtures/tasks.mjs', import.meta.url);
const tasks = moduleRef<typeof Tasks>(tasksUrl);

let inbox: Inbox;
const made: Process[] = [];

beforeEach(async () => {
  inbox = await openInbox();
});

afterEach(async () => {
  for (const p of made.splice(0)) {
    try {
      p.kill();
      await p.join(30);
    } catch {
      // closed or never started
    }
  }
  await inbox.close();
});

describe.each<StartMethod>(['thread', 'process'])('Process [%s]', (startMethod) => {
  const { Process: P } = getContext(startMethod);
  function make(options: ConstructorParameters<typeof P>[0]): Process {
    const p = new P(options);
    made.push(p);
    return p;
  }

  describe('exit codes', () => {
    it('is 0 when the target returns, null before', async () => {
      const p = make({ target: tasks.noop });
      expect(p.exitcode).toBeNull();
      expect(p.pid).toBeNull();
      expect(p.ident).toBeNull();
      p.start();
      expect(p.isAlive()).toBe(true);
      await joinWithin(p);
      expect(p.exitcode).toBe(0);
      expect(p.isAlive()).toBe(false);
      await expect(exitedWithin(p)).resolves.toBe(0);
    });

    it('is 0 when an async target resolves, after it resolved', async () => {
      const p = make({ target: tasks.resolveLater, args: [inbox.path] });
      p.start();
      expect(await inbox.next()).toBe('resolved');
      await expect(exitedWithin(p)).resolves.toBe(0);
    });

    it('is n when the target calls process.exit(n)', async () => {
      const p = make({ target: tasks.exitWith, args: [3] });
      p.start();
      await joinWithin(p);
      expect(p.exitcode).toBe(3);
    });

    it('is 1 when the target throws', async () => {
      const p = make({ target: tasks.fail, args: ['boom'] });
      p.start();
      await expect(exitedWithin(p)).resolves.toBe(1);
    });

    it('is 1 when an async target rejects', async () => {
      const p = make({ target: tasks.failAsync, args: ['nope'] });
      p.start();
      await expect(exitedWithin(p)).resolves.toBe(1);
    });

    it('is -15 after terminate() of a busy child', async () => {
      const p = make({ target: tasks.spin, args: [inbox.path] });
      p.start();
      expect(await inbox.next()).toBe('spinning');
      p.terminate();
      await joinWithin(p);
      expect(p.exitcode).toBe(-15);
      expect(String(p)).toMatch(/stopped exitcode=-SIGTERM/);
    });

    it('is -9 after kill() of a busy child', async () => {
      const p = make({ target: tasks.spin, args: [inbox.path] });
      p.start();
      expect(await inbox.next()).toBe('spinning');
      p.kill();
      await joinWithin(p);
      expect(p.exitcode).toBe(-9);
    });
  });

  describe('join()', () => {
    it('resolves after the timeout with the child still alive', async () => {
      const p = make({ target: tasks.hold, args: [inbox.path] });
      p.start();
      await inbox.next();
      const t0 = Date.now();
      await p.join(0.2);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
      expect(p.isAlive()).toBe(true);
      expect(p.exitcode).toBeNull();
      await p.join(0);
      await p.join(-1);
      expect(p.isAlive()).toBe(true);
      p.terminate();
      await joinWithin(p);
      expect(p.exitcode).toBe(-15);
    });

    it('resolves at once after the end, any number of times', async () => {
      const p = make({ target: tasks.noop });
      p.start();
      await joinWithin(p);
      await joinWithin(p);
      await p.join(5);
      expect(p.exitcode).toBe(0);
    });

    it('rejects a bad timeout with TypeError', async () => {
      const p = make({ target: tasks.noop });
      p.start();
      await expect(within(p.join('1' as unknown as number), 10_000, "p.join('1')")).rejects.toThrow(
        TypeError,
      );
      await expect(within(p.join(Number.NaN), 10_000, 'p.join(NaN)')).rejects.toThrow(/timeout/);
      await joinWithin(p);
    });
  });

  describe('arguments', () => {
    it('arrive with full fidelity', async () => {
      const args = [
        new Map<unknown, unknown>([
          ['k', 1],
          [2, new Set([1, 'two'])],
        ]),
        new Set([1, 2, 3]),
        new Date(1_700_000_000_000),
        123n,
        -0,
        undefined,
        new Float64Array([1.5, -2]),
        new Uint8Array([1, 2, 3]),
        { nested: { deep: [1, { x: 'y' }], when: new Date(0) } },
        'text',
      ];
      const p = make({ target: tasks.sendArgs, args: [inbox.path, ...args] });
      p.start();
      const got = (await inbox.next()) as unknown[];
      await joinWithin(p);
      expect(got).toEqual(args);
      expect(Object.is(got[4], -0)).toBe(true);
      expect(types.isFloat64Array(got[6])).toBe(true);
      expect(p.exitcode).toBe(0);
    });

    it('accept a self-contained function as the target', async () => {
      const p = make({ target: (code: number) => process.exit(code * 2), args: [21] });
      p.start();
      await expect(exitedWithin(p)).resolves.toBe(42);
    });

    it('accept a taskRef as the target', async () => {
      const p = make({ target: taskRef(tasksUrl, 'exitWith'), args: [5] });
      p.start();
      await expect(exitedWithin(p)).resolves.toBe(5);
    });

    it('refuse a closure in start() with a PicklingError naming the variable', async () => {
      const factor = 3;
      const p = make({ target: (x: number) => x * factor, args: [1] });
      expect(() => {
        p.start();
      }).toThrow(
        expect.objectContaining({ code: 'ERR_MP_PICKLING', message: expect.stringContaining("'factor'") }),
      );
      expect(p.pid).toBeNull();
      await expect(joinWithin(p)).rejects.toThrow(/can only join a started process/);
    });

    it('refuse a function inside the arguments with a PicklingError', () => {
      const p = make({ target: tasks.noop, args: [{ cb: () => 1 }] as never });
      expect(() => {
        p.start();
      }).toThrow(
        expect.objectContaining({ code: 'ERR_MP_PICKLING', message: expect.stringContaining('args[0].cb') }),
      );
    });

    if (startMethod === 'thread') {
      it('deliver a shareable live, at depth', async () => {
        const toy = new Toy();
        new Int32Array(toy.sab)[0] = 1;
        const p = make({ target: tasks.touchShared, args: [inbox.path, { toy }] });
        p.start();
        expect(await inbox.next()).toEqual({ constructorName: 'Toy', value: 42 });
        await joinWithin(p);
        expect(new Int32Array(toy.sab)[0]).toBe(42);
      });

      it('load the target module before rebuilding arguments whose class it imports', async () => {
        const toy = new Toy();
        const p = make({
          target: taskRef(new URL('../fixtures/toy-user.mjs', import.meta.url), 'bump'),
          args: [{ toy }],
        });
        p.start();
        expect(await exitedWithin(p)).toBe(0);
        expect(new Int32Array(toy.sab)[0]).toBe(1);
      });
    } else {
      it('refuse a thread-only shareable with a PicklingError naming the argument', () => {
        const p = make({ target: tasks.touchShared, args: [inbox.path, { toy: new Toy() }] });
        expect(() => {
          p.start();
        }).toThrow(
          expect.objectContaining({
            code: 'ERR_MP_PICKLING',
            message: expect.stringContaining('args[1].toy'),
          }),
        );
        expect(p.isAlive()).toBe(false);
      });
    }
  });

  describe('identity', () => {
    it('names children Process-N and sets currentProcess()/parentProcess() in the child', async () => {
      const p = make({ target: tasks.whoAmI, args: [inbox.path] });
      expect(p.name).toMatch(/^Process-\d+$/);
      const q = make({ target: tasks.noop });
      expect(Number(q.name.slice(8))).toBe(Number(p.name.slice(8)) + 1);
      p.start();
      const who = (await inbox.next()) as Record<string, unknown>;
      await joinWithin(p);
      expect(who).toMatchObject({
        name: p.name,
        daemon: false,
        isMain: false,
        parent: { name: 'MainProcess', pid: process.pid },
      });
      expect(who.authkey).toBe(Buffer.from(currentProcess().authkey).toString('hex'));
      expect(who.pid).toBe(startMethod === 'thread' ? process.pid : p.pid);
      expect(who.ident).toBe(p.ident);
      if (startMethod === 'thread') {
        expect(p.pid).toBe(process.pid);
        expect(p.ident).not.toBe(process.pid);
      } else {
        expect(p.ident).toBe(p.pid);
        expect(p.pid).not.toBe(process.pid);
      }
    });

    it('passes a given name and daemon flag', async () => {
      const p = make({ target: tasks.whoAmI, args: [inbox.path], name: 'worker-a', daemon: true });
      p.start();
      expect(await inbox.next()).toMatchObject({ name: 'worker-a', daemon: true });
      await joinWithin(p);
    });

    it('lists running children in activeChildren() and forgets ended ones', async () => {
      const p = make({ target: tasks.hold, args: [inbox.path] });
      p.start();
      await inbox.next();
      expect(activeChildren()).toContain(p);
      p.terminate();
      await joinWithin(p);
      expect(activeChildren()).not.toContain(p);
    });
  });

  describe('misuse', () => {
    it('gives Python’s messages', async () => {
      const p = make({ target: tasks.noop });
      await expect(joinWithin(p)).rejects.toThrow(
        expect.objectContaining({ code: 'ERR_MP_STATE', message: 'can only join a started process' }),
      );
      p.start();
      expect(() => {
        p.start();
      }).toThrow('cannot start a process twice');
      expect(() => {
        p.daemon = true;
      }).toThrow('process has already started');
      await joinWithin(p);
      p.close();
      p.close();
      expect(() => p.isAlive()).toThrow('process object is closed');
      expect(() => p.exitcode).toThrow('process object is closed');
      await expect(joinWithin(p)).rejects.toThrow('process object is closed');
      expect(() => {
        p.start();
      }).toThrow('process object is closed');
      expect(p.name).toMatch(/^Process-/);
    });

    it('refuses close() while the child runs', async () => {
      const p = make({ target: tasks.hold, args: [inbox.path] });
      p.start();
      await inbox.next();
      expect(() => {
        p.close();
      }).toThrow(
        'Cannot close a process while it is still running. You should first call join() or terminate().',
      );
      p.kill();
      await joinWithin(p);
      p.close();
    });

    it('rejects bad options with TypeError naming the option', () => {
      expect(() => new P(undefined as never)).toThrow(TypeError);
      expect(() => new P({ target: 42 as never })).toThrow(/target/);
      expect(() => new P({ target: tasks.noop, args: 'x' as never })).toThrow(/args/);
      expect(() => new P({ target: tasks.noop, name: 1 as never })).toThrow(/name/);
      expect(() => new P({ target: tasks.noop, daemon: 'yes' as never })).toThrow(/daemon/);
      const p = new P({ target: tasks.noop });
      expect(() => {
        p.daemon = 1 as never;
      }).toThrow(/daemon/);
    });
  });

  it('runs 50 children at once, all exiting 0', async () => {
    const ps = Array.from({ length: 50 }, (_, i) =>
      make({ target: tasks.exitWith, args: [i % 2 === 0 ? 0 : 0] }),
    );
    for (const p of ps) p.start();
    const codes = await within(Promise.all(ps.map((p) => p.exited)), 100_000, 'the exit of 50 children');
    expect(codes).toEqual(new Array(50).fill(0));
  }, 120_000);
});
