// Subclassing Process with run(), as Python's tutorials do: the child
// imports the class from the module that exports it, gets the instance's
// fields (shareables included) without running the constructor again, and
// calls run(). Adapted from CPython's test_subclassing, under both start
// methods; a class the child could not import is refused at start().
import { PicklingError, Process, Queue, taskRef } from '@multiprocessing/all';
import { within } from '@multiprocessing/test-utils';
import { endTracked, track } from './children.js';
import * as W from '../fixtures/process-subclass/workers.mjs';

const WAIT_MS = 30_000;
const workers = new URL('../fixtures/process-subclass/workers.mjs', import.meta.url);

afterEach(endTracked);

function start<P extends Process>(p: P): P {
  track(p);
  p.start();
  return p;
}

const methods = [
  ['thread', W.UpperCaser, W.Reporter, W.Wrapper, W.Failing],
  ['process', W.ProcessUpperCaser, W.ProcessReporter, W.ProcessWrapper, W.ProcessFailing],
] as const;

describe.each(methods)('a Process subclass under %s', (method, UpperCaser, Reporter, Wrapper, Failing) => {
  it('runs its run() in the child (test_subclassing)', async () => {
    const uppercaser = new UpperCaser();
    uppercaser.daemon = true;
    start(uppercaser);
    expect(uppercaser.startMethod).toBe(method);
    await expect(within(uppercaser.submit('hello'), WAIT_MS, 'submit')).resolves.toBe('HELLO');
    await expect(within(uppercaser.submit('world'), WAIT_MS, 'submit')).resolves.toBe('WORLD');
    uppercaser.stop();
    await within(uppercaser.join(), WAIT_MS, 'join');
    expect(uppercaser.exitcode).toBe(0);
  });

  it('gives run() the fields the instance had at start(), without running the constructor again', async () => {
    const out = new Queue<W.Report>();
    const r = new Reporter(out, { name: 'reporter' });
    r.x = 42;
    r.nested = { list: [1, 'two'], when: new Date(0) };
    start(r);
    const report = await out.get({ timeout: WAIT_MS / 1000 });
    expect(report).toEqual({
      fields: { x: 42, madeIn: 'MainProcess', nested: { list: [1, 'two'], when: new Date(0) } },
      name: 'reporter',
      daemon: false,
      className: Reporter.name,
      isReporter: true,
      isProcess: true,
      pid: true,
      alive: true,
      current: 'reporter',
      constructionsHere: 0,
    });
    await within(r.join(), WAIT_MS, 'join');
    expect(r.exitcode).toBe(0);
  });

  it('runs the target with its args when run() calls super.run()', async () => {
    const q = new Queue<unknown>();
    const w = new Wrapper({ target: taskRef(workers, 'putTagged'), args: [q, 'target', 7] });
    w.out = q;
    start(w);
    await expect(q.get({ timeout: WAIT_MS / 1000 })).resolves.toBe('run');
    await expect(q.get({ timeout: WAIT_MS / 1000 })).resolves.toEqual(['target', 7]);
    await within(w.join(), WAIT_MS, 'join');
    expect(w.exitcode).toBe(0);
  });

  it('ends the child with exit code 1 when run() throws', async () => {
    const f = start(new Failing());
    await within(f.join(), WAIT_MS, 'join');
    expect(f.exitcode).toBe(1);
  });
});

describe('a Process subclass the child cannot import', () => {
  it.each([
    ['not exported', W.hidden, 'Hidden'],
    ['defined inside a function', W.local, 'Local'],
  ])('is refused at start() when %s, naming the class and the fix', (_, make, name) => {
    const p = make();
    let error: unknown;
    try {
      p.start();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PicklingError);
    expect((error as Error).message).toContain(`Process subclass ${name} cannot be started`);
    expect((error as Error).message).toContain(`export class ${name} extends Process`);
    // Nothing started.
    expect(p.exitcode).toBeNull();
    expect(p.pid).toBeNull();
  });

  it('refuses a field that cannot be sent, naming it', () => {
    const r = new W.Reporter(new Queue());
    r.x = { fn: () => 1 };
    expect(() => {
      r.start();
    }).toThrow(PicklingError);
    expect(() => {
      r.start();
    }).toThrow(/Reporter\.x\.fn/);
    expect(r.pid).toBeNull();
  });
});

describe('Process without a subclass', () => {
  it('still needs a target', () => {
    expect(() => new Process(undefined as never)).toThrow(TypeError);
    expect(() => new Process({} as never)).toThrow(/target must be a function/);
  });

  it('runs its target in the calling thread when run() is called directly', async () => {
    const seen: unknown[] = [];
    const p = new Process({
      target: (a: number, b: string) => {
        seen.push(a, b);
      },
      args: [1, 'b'],
    });
    await p.run();
    expect(seen).toEqual([1, 'b']);
    expect(p.pid).toBeNull();
  });
});
