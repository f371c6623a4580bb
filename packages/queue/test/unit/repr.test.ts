import { inspect } from 'node:util';
import { JoinableQueue } from '../../src/joinable-queue.js';
import { Pipe } from '../../src/pipe.js';
import { Queue } from '../../src/queue.js';
import { SimpleQueue } from '../../src/simple-queue.js';

/** util.inspect and String() give the same one-line text. */
function shows(x: { toString(): string }, text: string): void {
  expect(inspect(x)).toBe(text);
  expect(String(x)).toBe(text);
}

describe('repr: queue classes', () => {
  it('Queue: qsize and maxsize, then closed', async () => {
    const q = new Queue<number>();
    shows(q, '<Queue qsize=0 maxsize=0>');
    for (const i of [1, 2, 3]) await q.put(i);
    shows(q, '<Queue qsize=3 maxsize=0>');
    q.close();
    shows(q, '<Queue qsize=3 maxsize=0 closed>');
    shows(new Queue({ maxsize: 2 }), '<Queue qsize=0 maxsize=2>');
  });

  it('util.inspect of a queue is one short line, without the ring buffer', async () => {
    const q = new Queue<string>();
    await q.put('x'.repeat(1000));
    const text = inspect(q, { depth: Infinity, showHidden: true });
    expect(text).toBe('<Queue qsize=1 maxsize=0>');
    expect(inspect({ q })).toBe('{ q: <Queue qsize=1 maxsize=0> }');
    q.close();
  });

  it('JoinableQueue: unfinished tasks too', async () => {
    const q = new JoinableQueue<number>({ maxsize: 5 });
    for (const i of [1, 2, 3]) await q.put(i);
    shows(q, '<JoinableQueue qsize=3 maxsize=5 unfinished=3>');
    await q.get();
    shows(q, '<JoinableQueue qsize=2 maxsize=5 unfinished=3>');
    q.taskDone();
    shows(q, '<JoinableQueue qsize=2 maxsize=5 unfinished=2>');
    q.close();
    shows(q, '<JoinableQueue qsize=2 maxsize=5 unfinished=2 closed>');
  });

  it('SimpleQueue: empty, then closed', async () => {
    const q = new SimpleQueue<number>();
    shows(q, '<SimpleQueue empty=true>');
    await q.put(1);
    shows(q, '<SimpleQueue empty=false>');
    q.close();
    shows(q, '<SimpleQueue empty=false closed>');
    expect(inspect(q, { showHidden: true })).toBe('<SimpleQueue empty=false closed>');
  });

  it('Connection: readable, writable, closed', () => {
    const [a, b] = Pipe();
    shows(a, '<Connection readable=true writable=true closed=false>');
    a.close();
    shows(a, '<Connection readable=true writable=true closed=true>');
    b.close();
    const [r, w] = Pipe(false);
    shows(r, '<Connection readable=true writable=false closed=false>');
    shows(w, '<Connection readable=false writable=true closed=false>');
    r.close();
    w.close();
  });
});
