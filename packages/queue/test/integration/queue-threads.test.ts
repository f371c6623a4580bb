import { Queue, JoinableQueue, SimpleQueue, ShutDownError, StateError } from '@multiprocessing/queue';
import { runScenario, terminateAll, within } from '../helpers.js';

afterEach(terminateAll);

describe('Queue between threads', () => {
  it('delivers 10 000 items from a producer worker to the main thread in order', async () => {
    const q = new Queue<number>({ maxsize: 100 });
    const producer = runScenario('produceInts', { q, n: 10_000 });
    for (let i = 0; i < 10_000; i++) {
      const v = await within(q.get(), 10_000, `get #${i}`);
      if (v !== i) throw new Error(`item ${i} was ${v}`);
    }
    expect(await producer.result).toBe(10_000);
    expect(q.empty()).toBe(true);
  });

  it('loses and duplicates nothing with 2 producers and 2 consumers, timeouts firing in between', async () => {
    const perProducer = 100_000;
    const q = new Queue<[number, number]>({ maxsize: 64 });
    const consumers = [0, 1].map(() =>
      runScenario('consumeUntilClosed', { q, stride: perProducer, timeout: 0.0005 }, 120_000),
    );
    const producers = [0, 1].map((id) =>
      runScenario('produce', { q, n: perProducer, id, timeout: 0.0005 }, 120_000),
    );
    await Promise.all(producers.map((p) => p.result));
    q.close();
    const results = (await Promise.all(consumers.map((c) => c.result))) as { ids: Int32Array }[];
    const seen = new Uint8Array(2 * perProducer);
    let total = 0;
    for (const { ids } of results) {
      for (const id of ids) {
        seen[id] = (seen[id] ?? 0) + 1;
        total++;
      }
    }
    expect(total).toBe(2 * perProducer);
    expect(seen.every((c) => c === 1)).toBe(true);
    // Both consumers took part.
    expect(results.every((r) => r.ids.length > 0)).toBe(true);
  });

  it('accounts JoinableQueue tasks across workers and joins', async () => {
    const q = new JoinableQueue<number>();
    const counter = new Queue<number>();
    const workers = [0, 1].map(() => runScenario('joinableWorker', { q, counter }));
    for (let i = 0; i < 1000; i++) await within(q.put(i), 30_000, 'q.put(i)');
    expect(await within(q.join(), 20_000, 'join')).toBe(true);
    expect(counter.qsize()).toBe(1000);
    q.close();
    const counts = (await Promise.all(workers.map((w) => w.result))) as number[];
    expect(counts[0]! + counts[1]!).toBe(1000);
    const got: number[] = [];
    while (!counter.empty()) got.push(counter.getNowait());
    expect(got.sort((x, y) => x - y)).toEqual([...Array(1000).keys()]);
  });

  it('sends a queue through a queue, and it arrives live', async () => {
    const outer = new Queue<Queue>();
    const inner = new JoinableQueue<unknown>();
    await within(outer.put(inner), 30_000, 'outer.put(inner)');
    const worker = runScenario('queueThroughQueue', { outer });
    expect(await within(inner.get(), 10_000, 'inner.get')).toEqual(['hello from a worker', 0]);
    expect(await worker.result).toBe('JoinableQueue');
  });

  it('carries SimpleQueue and JoinableQueue to workers too', async () => {
    const sq = new SimpleQueue<number>();
    const worker = runScenario('produceInts', { q: sq, n: 3 });
    expect(await worker.result).toBe(3);
    expect([sq.getSync(), sq.getSync(), sq.getSync()]).toEqual([0, 1, 2]);
  });

  it('closes for every thread: a worker blocked in getSync wakes with "Queue is closed"', async () => {
    const q = new Queue();
    const ready = new Queue();
    const worker = runScenario('blockedGet', { q, ready });
    expect(await within(ready.get(), 10_000, 'ready')).toBe('waiting');
    q.close();
    expect(await worker.result).toEqual(['StateError', 'Queue is closed']);
    await expect(within(q.put(1), 30_000, 'q.put(1)')).rejects.toThrow(StateError);
  });

  it('shuts down for every thread: workers blocked in getSync and putSync wake with ShutDownError', async () => {
    const empty = new Queue();
    const full = new JoinableQueue<string>({ maxsize: 1 });
    full.putSync('a');
    const ready = new Queue();
    const getter = runScenario('blockedGet', { q: empty, ready });
    const putter = runScenario('blockedPut', { q: full, ready, value: 'b' });
    for (let i = 0; i < 2; i++) expect(await within(ready.get(), 10_000, 'ready')).toBe('waiting');
    empty.shutdown();
    full.shutdown({ immediate: true });
    expect(await getter.result).toEqual(['ShutDownError', 'Queue is shut down']);
    expect(await putter.result).toEqual(['ShutDownError', 'Queue is shut down']);
    // The item dropped by the immediate shutdown counts as done.
    expect(await within(full.join(), 10_000, 'join')).toBe(true);
    await expect(within(empty.put(1), 30_000, 'empty.put(1)')).rejects.toThrow(ShutDownError);
  });

  it('stays responsive while the main thread awaits get()', async () => {
    const q = new Queue<string>();
    const go = new Queue<string>();
    const worker = runScenario('putAfterGo', { go, q, value: 'from the worker' });
    let ticks = 0;
    const timer = setInterval(() => {
      if (++ticks === 5) go.putSync('go');
    }, 2);
    try {
      expect(await within(q.get(), 10_000, 'get')).toBe('from the worker');
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect(await worker.result).toBe(true);
  });

  it('cannot deadlock when a child puts, the parent joins it, and only then gets', async () => {
    // Python's pitfall: its child cannot exit before the feeder thread has
    // flushed into the pipe. Here a put resolves with the item in shared
    // memory, so the child exits at once.
    const q = new Queue<{ i: number; pad: string }>();
    const child = runScenario('putMany', { q, n: 200, size: 1024 });
    expect(await within(child.exited, 20_000, 'join of the child')).toBe(0);
    expect(q.qsize()).toBe(200);
    for (let i = 0; i < 200; i++) expect((await within(q.get(), 30_000, 'q.get()')).i).toBe(i);
  });
});
