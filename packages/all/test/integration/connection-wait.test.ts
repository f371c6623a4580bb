// connection.wait(objects, timeout), adapted from CPython's test_wait,
// test_wait_timeout, test_wait_integer and test_neg_timeout: pipe ends,
// processes, queues, socket connections and promises, under both start
// methods where a child takes part.
import {
  Client,
  connectionWait as wait,
  Event,
  getContext,
  JoinableQueue,
  Listener,
  Pipe,
  Queue,
  Semaphore,
  SimpleQueue,
  StateError,
  type Connection,
  type Process,
  type SocketConnection,
} from '@multiprocessing/all';
import { within } from '@multiprocessing/test-utils';
import { endTracked, fixture, track } from './children.js';
import type * as T from '../fixtures/wait/targets.mjs';

const WAIT_S = 30;
const ref = fixture<typeof T>('wait/targets.mjs');

afterEach(endTracked);

describe.each(['thread', 'process'] as const)('wait() with children started by %s', (method) => {
  const { Process: P } = getContext(method);

  function start(target: keyof typeof T, args: unknown[]): Process {
    const p = new P({ target: ref(target), args: args as never });
    p.daemon = true;
    track(p);
    p.start();
    return p;
  }

  it('reads every message of 4 children until each end is closed (test_wait)', async () => {
    const readers: Connection[] = [];
    for (let i = 0; i < 4; i++) {
      const [r, w] = Pipe(false);
      start('sendTen', [w, `child-${String(i)}`]);
      w.close();
      readers.push(r);
    }
    const messages: [number, string][] = [];
    while (readers.length > 0) {
      for (const r of await within(wait(readers), WAIT_S * 1000, 'wait(readers)')) {
        try {
          messages.push((await r.recv()) as [number, string]);
        } catch (err) {
          if ((err as Error).name !== 'EOFError') throw err;
          readers.splice(readers.indexOf(r), 1);
          r.close();
        }
      }
    }
    const expected = [0, 1, 2, 3].flatMap((c) =>
      Array.from({ length: 10 }, (_, i) => [i, `child-${String(c)}`]),
    );
    const order = (a: [number, string], b: [number, string]): number =>
      a[1].localeCompare(b[1]) || a[0] - b[0];
    expect(messages.sort(order)).toEqual((expected as [number, string][]).sort(order));
  });

  it('reports a Process once it has ended, beside the ends that have data (test_wait_integer)', async () => {
    const sem = new Semaphore(0);
    const go = new Event();
    const [a, b] = Pipe();
    const p = start('signalThenWait', [sem, go]);
    await expect(sem.acquire({ timeout: WAIT_S })).resolves.toBe(true);
    const waiting = wait([a, p, b], WAIT_S);
    go.set();
    await expect(waiting).resolves.toEqual([p]);
    a.send(null);
    await expect(wait([a, p, b], WAIT_S)).resolves.toEqual([p, b]);
    b.send(null);
    await expect(wait([a, p, b], WAIT_S)).resolves.toEqual([a, p, b]);
    await expect(wait([p.exited], WAIT_S)).resolves.toEqual([p.exited]);
  });

  it('reports a queue once a child puts on it', async () => {
    const q = new Queue<string>();
    const [a] = Pipe();
    const waiting = wait([a, q], WAIT_S);
    start('putOne', [q, 'x']);
    await expect(waiting).resolves.toEqual([q]);
    // Nothing was taken.
    await expect(q.get({ timeout: WAIT_S })).resolves.toBe('x');
  });
});

describe('wait() in one process', () => {
  it('resolves with [] at the timeout, then with the end that has data (test_wait_timeout)', async () => {
    const [a, b] = Pipe();
    await expect(wait([a, b], 0.2)).resolves.toEqual([]);
    b.send(null);
    await expect(wait([a, b], 20)).resolves.toEqual([a]);
  });

  it('answers at once with a negative or zero timeout (test_neg_timeout)', async () => {
    const [a, b] = Pipe();
    await expect(wait([a], -1)).resolves.toEqual([]);
    await expect(wait([a], 0)).resolves.toEqual([]);
    b.send(1);
    await expect(wait([a], -1)).resolves.toEqual([a]);
    a.close();
    b.close();
  });

  it('reports an end whose other end closed (a recv would throw EOFError)', async () => {
    const [a, b] = Pipe();
    const waiting = wait([a], WAIT_S);
    b.close();
    await expect(waiting).resolves.toEqual([a]);
  });

  it('waits on every kind of queue: an item, or closed', async () => {
    const q = new Queue<number>();
    const jq = new JoinableQueue<number>();
    const sq = new SimpleQueue<number>();
    await expect(wait([q, jq, sq], 0)).resolves.toEqual([]);
    const waiting = wait([q, jq, sq], WAIT_S);
    await sq.put(1);
    await expect(waiting).resolves.toEqual([sq]);
    q.close();
    await jq.put(2);
    await expect(wait([q, jq, sq], WAIT_S)).resolves.toEqual([q, jq, sq]);
  });

  it('passes on the wake-up of a put to a getter sleeping beside it', async () => {
    const q = new Queue<number>();
    const waiting = wait([q], WAIT_S);
    // The wait sleeps first, so the put's one wake-up goes to it.
    await new Promise((resolve) => setImmediate(resolve));
    const getting = q.get();
    await new Promise((resolve) => setImmediate(resolve));
    await q.put(7);
    await expect(waiting).resolves.toEqual([q]);
    // A getter left asleep would sleep until the next put, that never comes.
    await expect(within(getting, 5000, 'the sleeping get')).resolves.toBe(7);
  });

  it('leaves no wait behind: a queue waited on until the timeout still serves its getters', async () => {
    const q = new Queue<number>();
    await expect(wait([q], 0.05)).resolves.toEqual([]);
    const getting = q.get({ timeout: WAIT_S });
    await q.put(1);
    await expect(getting).resolves.toBe(1);
  });

  it('reports a promise once it has settled, fulfilled or rejected', async () => {
    let resolve!: (v: number) => void;
    const pending = new Promise<number>((r) => {
      resolve = r;
    });
    const failed = Promise.reject(new Error('settled by failing'));
    await expect(wait([pending, failed], WAIT_S)).resolves.toEqual([failed]);
    const waiting = wait([pending], WAIT_S);
    resolve(1);
    await expect(waiting).resolves.toEqual([pending]);
  });

  it('waits on socket connections', async () => {
    const listener = new Listener({ host: '127.0.0.1', port: 0 });
    await listener.ready();
    const accepted = listener.accept();
    const client = await Client(listener.address);
    const server: SocketConnection = await accepted;
    try {
      await expect(wait([client], 0.05)).resolves.toEqual([]);
      const waiting = wait([client], WAIT_S);
      server.send('hi');
      await expect(waiting).resolves.toEqual([client]);
      await expect(client.recv()).resolves.toBe('hi');
    } finally {
      client.close();
      server.close();
      listener.close();
    }
  });

  it('refuses what it cannot wait on, a bad timeout, and a closed end', async () => {
    await expect(wait(5 as never)).rejects.toThrow(TypeError);
    await expect(wait([{}] as never)).rejects.toThrow(/objects\[0\] cannot be waited on/);
    const [a] = Pipe();
    await expect(wait([a], 'soon' as never)).rejects.toThrow(TypeError);
    await expect(wait([a], Number.NaN)).rejects.toThrow(RangeError);
    a.close();
    await expect(wait([a])).rejects.toBeInstanceOf(StateError);
  });
});
