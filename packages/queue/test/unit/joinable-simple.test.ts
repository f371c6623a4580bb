import { StateError } from '@multiprocessing/core';
import { JoinableQueue } from '../../src/joinable-queue.js';
import { SimpleQueue } from '../../src/simple-queue.js';
import { Queue } from '../../src/queue.js';
import { within } from '../helpers.js';

describe(JoinableQueue, () => {
  it('is a Queue', () => {
    expect(new JoinableQueue()).toBeInstanceOf(Queue);
  });

  it('raises "task_done() called too many times"', async () => {
    const q = new JoinableQueue();
    expect(() => {
      q.taskDone();
    }).toThrow(new StateError('task_done() called too many times'));
    await q.put(1);
    await q.get();
    q.taskDone();
    expect(() => {
      q.taskDone();
    }).toThrow('task_done() called too many times');
  });

  it('joins once every put item was marked done', async () => {
    const q = new JoinableQueue<number>();
    expect(await q.join()).toBe(true);
    for (let i = 0; i < 3; i++) await q.put(i);
    let joined = false;
    const joining = q.join().then((r) => {
      joined = true;
      return r;
    });
    for (let i = 0; i < 3; i++) {
      await q.get();
      await new Promise((r) => setImmediate(r));
      expect(joined).toBe(false);
      q.taskDone();
    }
    expect(await within(joining, 5000, 'join')).toBe(true);
    expect(q.joinSync()).toBe(true);
  });

  it('counts a task per put, even before it is taken', async () => {
    const q = new JoinableQueue();
    q.putSync('a');
    expect(q.joinSync(0.02)).toBe(false);
    expect(await q.join(0.02)).toBe(false);
    q.taskDone();
    expect(q.joinSync(0)).toBe(true);
  });
});

describe(SimpleQueue, () => {
  it('puts and gets in order, sync and async', async () => {
    const q = new SimpleQueue<string>();
    expect(q.empty()).toBe(true);
    await q.put('a');
    q.putSync('b');
    expect(q.empty()).toBe(false);
    expect(q.getSync()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('drains after close, then raises "handle is closed"', async () => {
    const q = new SimpleQueue<number>();
    q.putSync(1);
    q.close();
    expect(() => {
      q.putSync(2);
    }).toThrow(new StateError('handle is closed'));
    await expect(q.put(2)).rejects.toThrow('handle is closed');
    expect(await q.get()).toBe(1);
    await expect(q.get()).rejects.toThrow('handle is closed');
    expect(() => q.getSync()).toThrow('handle is closed');
  });

  it('wakes a pending get', async () => {
    const q = new SimpleQueue<number>();
    const pending = q.get();
    q.putSync(7);
    expect(await within(pending, 5000, 'get')).toBe(7);
  });
});
