/**
 * parity: multiprocessing.managers.IteratorProxy. A registered type's
 * methods listed in methodToTypeid as 'Iterator' return iterators that stay
 * in the server; the client drives them (Python's `__next__`, `send`,
 * `throw`, `close`).
 */
import { BaseManager, IteratorProxy, RemoteError, taskRef, type Proxied } from '@multiprocessing/manager';
import { getContext, type Process } from '@multiprocessing/process';
import { rejection, within } from './helpers.js';

const storeUrl = new URL('../fixtures/store.mjs', import.meta.url);
const tasksUrl = new URL('../fixtures/iterator-tasks.mjs', import.meta.url);
const take = taskRef(tasksUrl, 'take');
const drain = taskRef(tasksUrl, 'drain');

interface Store {
  values(): IteratorProxy<number>;
  accumulate(): IteratorProxy<number, string, number>;
  catcher(): IteratorProxy<string>;
  failAfter(n: number): IteratorProxy<number>;
  asyncValues(): IteratorProxy<number>;
  asArray(): IteratorProxy<number>;
  notIterable(): IteratorProxy;
  closed(): number;
}

interface Sink {
  append(value: unknown): void;
  toArray(): number[];
}

/** A plain BaseManager: 'Iterator' is served by every manager. */
class StoreManager extends BaseManager {
  declare Store: (items?: readonly number[]) => Promise<Proxied<Store>>;
  declare Sink: () => Promise<Proxied<Sink>>;
}
StoreManager.register('Store', taskRef(storeUrl, 'Store'), {
  methodToTypeid: {
    values: 'Iterator',
    accumulate: 'Iterator',
    catcher: 'Iterator',
    failAfter: 'Iterator',
    asyncValues: 'Iterator',
    asArray: 'Iterator',
    notIterable: 'Iterator',
  },
});
StoreManager.register('Sink', taskRef(storeUrl, 'Sink'));

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('parity: multiprocessing.managers.IteratorProxy', () => {
  let manager: StoreManager;
  beforeAll(async () => {
    manager = new StoreManager({ context: getContext('thread') });
    await within(manager.start(), 20_000, 'manager.start()');
  });
  afterAll(async () => {
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
  });

  it('for await reads a generator method in the server', async () => {
    const store = await manager.Store([1, 2, 3]);
    const it = await store.values();
    expect(it).toBeInstanceOf(IteratorProxy);
    expect(String(it)).toMatch(/^<IteratorProxy object, typeid 'Iterator' id \d+ at /);
    const seen: number[] = [];
    for await (const v of it) seen.push(v);
    expect(seen).toEqual([1, 2, 3]);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('reads an async generator method and an array result the same way', async () => {
    const store = await manager.Store([4, 5]);
    const seen: number[] = [];
    for await (const v of await store.asyncValues()) seen.push(v);
    for await (const v of await store.asArray()) seen.push(v);
    expect(seen).toEqual([4, 5, 4, 5]);
  });

  it("next(value) sends the value to the generator's yield (Python's send)", async () => {
    const store = await manager.Store();
    const acc = await store.accumulate();
    expect(await acc.next()).toEqual({ value: 0, done: false });
    expect(await acc.next(5)).toEqual({ value: 5, done: false });
    expect(await acc.next(7)).toEqual({ value: 12, done: false });
  });

  it('throw(err) raises at the yield: the generator catches it and yields, or lets it out', async () => {
    const store = await manager.Store();
    const it = await store.catcher();
    expect(await it.next()).toEqual({ value: 'ready', done: false });
    expect(await it.throw(new Error('boom'))).toEqual({ value: 'caught boom', done: false });
    const out = await rejection(it.throw(new RangeError('not caught')));
    expect([out.name, out.message]).toEqual(['RangeError', 'not caught']);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('return(value) and close() finish the generator and run its finally blocks; break does too', async () => {
    const store = await manager.Store([1, 2, 3]);
    const acc = await store.accumulate();
    await acc.next();
    expect(await acc.return('end')).toEqual({ value: 'end', done: true });
    expect(await acc.next()).toEqual({ value: undefined, done: true });
    expect(await store.closed()).toBe(1);

    const values = await store.values();
    await values.next();
    await values.close();
    expect(await values.next()).toEqual({ value: undefined, done: true });
    expect(await store.closed()).toBe(2);

    for await (const v of await store.values()) if (v === 1) break;
    expect(await store.closed()).toBe(3);
  });

  it('rejects next() with the error of an iterator that throws mid-way, then is done', async () => {
    const store = await manager.Store([10, 20, 30]);
    const it = await store.failAfter(2);
    const seen: number[] = [];
    const err = await rejection(
      (async () => {
        for await (const v of it) seen.push(v);
      })(),
    );
    expect(seen).toEqual([10, 20]);
    expect([err.name, err.message]).toEqual(['TypeError', 'failed after 2']);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('rejects a method whose result cannot be iterated with TypeError', async () => {
    const store = await manager.Store();
    const err = await rejection(store.notIterable());
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/must return an iterator, an async iterator or an iterable, not number/);
  });

  it("cannot be created directly: 'Iterator' objects come from methods", async () => {
    const err = await rejection(manager.create('Iterator', [1]));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/typeid 'Iterator' cannot be created/);
  });

  it('a proxy method that is not exposed rejects with RemoteError', async () => {
    const store = await manager.Store([1]);
    const it = await store.values();
    expect(await rejection(it._callMethod('send', [1]))).toBeInstanceOf(RemoteError);
  });
});

describe.each(['thread', 'process'] as const)('IteratorProxy shared by two clients [%s]', (startMethod) => {
  let manager: StoreManager;
  const children: Process[] = [];
  beforeAll(async () => {
    manager = new StoreManager({ context: getContext(startMethod) });
    await within(manager.start(), 20_000, 'manager.start()');
  });
  afterEach(() => {
    for (const p of children.splice(0)) if (p.exitcode === null) p.kill();
  });
  afterAll(async () => {
    await within(manager.shutdown(), 20_000, 'manager.shutdown()');
  });

  async function run(target: typeof take, args: unknown[]): Promise<void> {
    const child = new (getContext(startMethod).Process)({ target, args });
    children.push(child);
    child.start();
    await within(child.join(), 60_000, 'child.join()');
    expect(child.exitcode).toBe(0);
  }

  it('a child goes on where this client stopped, and this client where the child stopped', async () => {
    const store = await manager.Store(range(10));
    const sink = await manager.Sink();
    const it = await store.values();
    const mine = [(await it.next()).value, (await it.next()).value];
    await run(take, [it, 3, sink]);
    for await (const v of it) mine.push(v);
    expect(mine).toEqual([0, 1, 5, 6, 7, 8, 9]);
    expect(await sink.toArray()).toEqual([2, 3, 4]);
  });

  it('two clients draining at once get every value exactly once', async () => {
    const store = await manager.Store(range(200));
    const sink = await manager.Sink();
    const it = await store.asyncValues();
    const child = new (getContext(startMethod).Process)({ target: drain, args: [it, sink] });
    children.push(child);
    child.start();
    const mine: number[] = [];
    for await (const v of it) mine.push(v);
    await within(child.join(), 60_000, 'child.join()');
    expect(child.exitcode).toBe(0);
    const theirs = await sink.toArray();
    // Each client sees its values in order, and together they see each value once.
    expect(mine).toEqual([...mine].sort((a, b) => a - b));
    expect(theirs).toEqual([...theirs].sort((a, b) => a - b));
    expect([...mine, ...theirs].sort((a, b) => a - b)).toEqual(range(200));
  });
});
