import { Manager, type SyncManager } from '@multiprocessing/manager';
import { Pool } from '@multiprocessing/pool';
import type { Process } from '@multiprocessing/process';
import { getContext, taskRef } from '@multiprocessing/process';
import { within } from './helpers.js';

const tasksUrl = new URL('../fixtures/tasks.mjs', import.meta.url);
const appendMany = taskRef(tasksUrl, 'appendMany');
const addMany = taskRef(tasksUrl, 'addMany');
const lockedIncrement = taskRef(tasksUrl, 'lockedIncrement');
const appendWord = taskRef(tasksUrl, 'appendWord');
const nestedWrite = taskRef(tasksUrl, 'nestedWrite');

async function runAll(procs: Process[]): Promise<void> {
  for (const p of procs) p.start();
  await within(Promise.all(procs.map((p) => p.join())), 90_000, 'children');
  expect(procs.map((p) => p.exitcode)).toEqual(procs.map(() => 0));
}

describe.each(['thread', 'process'] as const)('proxies in children [%s]', (startMethod) => {
  let manager: SyncManager;
  const children: Process[] = [];
  beforeAll(async () => {
    manager = await within(Manager({ context: getContext(startMethod) }), 20_000, 'Manager(…)');
  });
  afterEach(() => {
    for (const p of children.splice(0)) if (p.exitcode === null) p.kill();
  });
  afterAll(async () => {
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
  });

  it('4 children × 1000 appends give the exact length', async () => {
    const list = await manager.list<string>();
    const Ctx = getContext(startMethod).Process;
    const procs = [0, 1, 2, 3].map(
      (w) => new Ctx({ target: appendMany, args: [list, 1000, `w${String(w)}`] }),
    );
    children.push(...procs);
    await runAll(procs);
    expect(await list.length()).toBe(4000);
    const items = await list.toArray();
    expect(new Set(items).size).toBe(4000);
    expect(items.filter((s) => s.startsWith('w2-')).length).toBe(1000);
  });

  it('4 children × 250 adds to a managed set give every element once', async () => {
    const set = await manager.set<string>();
    const Ctx = getContext(startMethod).Process;
    const procs = [0, 1, 2, 3].map((w) => new Ctx({ target: addMany, args: [set, 250, `w${String(w)}`] }));
    children.push(...procs);
    await runAll(procs);
    expect(await set.length()).toBe(1001);
    expect(await set.has('w3-249')).toBe(true);
  });

  it('a manager Lock across children protects a counter', async () => {
    const lock = await manager.Lock();
    const ns = await manager.Namespace({ count: 0 });
    const Ctx = getContext(startMethod).Process;
    const procs = [0, 1, 2, 3].map(() => new Ctx({ target: lockedIncrement, args: [lock, ns, 100] }));
    children.push(...procs);
    await runAll(procs);
    expect(await ns.get('count')).toBe(400);
  });

  it('a nested proxy read in a child writes through', async () => {
    const outer = await manager.dict();
    const inner = await manager.dict();
    await outer.set('inner', inner);
    const Ctx = getContext(startMethod).Process;
    const p = new Ctx({ target: nestedWrite, args: [outer] });
    children.push(p);
    await runAll([p]);
    expect(await inner.get('seen')).toBe(true);
  });
});

describe('proxies in Pool tasks', () => {
  it('Pool(4).starmap appends every word to a manager list', async () => {
    await using manager = await within(Manager(), 20_000, 'Manager()');
    const list = await manager.list<string>();
    const words = ['with', 'great', 'power', 'comes', 'great', 'responsibility'];
    const pool = new Pool({ processes: 4 });
    try {
      const lengths = await within(
        pool.starmap(
          appendWord,
          words.map((w) => [w, list] as [string, typeof list]),
        ),
        60_000,
        'pool.starmap(appendWord, …)',
      );
      expect(lengths).toEqual(words.map((w) => w.length));
    } finally {
      await within(pool.terminate(), 20_000, 'pool.terminate()');
    }
    expect((await list.toArray()).sort()).toEqual([...words].sort());
  });
});
