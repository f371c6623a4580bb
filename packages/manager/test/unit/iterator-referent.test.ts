import { within } from '@multiprocessing/test-utils';
import { IteratorReferent, toIteratorReferent } from '../../src/internal/iterator-referent.js';

function* counter(log: string[]): Generator<number, string, number | undefined> {
  let total = 0;
  try {
    for (;;) {
      const n = yield total;
      if (n !== undefined) total += n;
    }
  } finally {
    log.push('finally');
  }
}

describe(toIteratorReferent, () => {
  it('takes an iterator as it is, and the iterator of an iterable or async iterable', async () => {
    const fromArray = toIteratorReferent([1, 2]);
    expect(await fromArray.next()).toEqual({ value: 1, done: false });
    const fromSet = toIteratorReferent(new Set(['a']));
    expect(await fromSet.next()).toEqual({ value: 'a', done: false });
    async function* gen(): AsyncGenerator<number> {
      yield await Promise.resolve(3);
    }
    const fromAsync = toIteratorReferent({ [Symbol.asyncIterator]: () => gen() });
    expect(await fromAsync.next()).toEqual({ value: 3, done: false });
  });

  it('throws a TypeError for anything else', () => {
    expect(() => toIteratorReferent(42)).toThrow(TypeError);
    expect(() => toIteratorReferent(null)).toThrow(/not null/);
    expect(() => toIteratorReferent({})).toThrow(/an object without next\(\)/);
  });
});

describe(IteratorReferent, () => {
  it('sends next(value) to the generator, as Python send()', async () => {
    const it = new IteratorReferent(counter([]));
    expect(await it.next()).toEqual({ value: 0, done: false });
    expect(await it.next(5)).toEqual({ value: 5, done: false });
    expect(await it.next(7)).toEqual({ value: 12, done: false });
  });

  it('return(value) runs finally blocks and finishes; later calls are done', async () => {
    const log: string[] = [];
    const it = new IteratorReferent(counter(log));
    await it.next();
    expect(await it.return('end')).toEqual({ value: 'end', done: true });
    expect(log).toEqual(['finally']);
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(await it.return('again')).toEqual({ value: 'again', done: true });
    await expect(it.throw(new RangeError('late'))).rejects.toThrow('late');
  });

  it('close() is return() without a value', async () => {
    const log: string[] = [];
    const it = new IteratorReferent(counter(log));
    await it.next();
    await expect(it.close()).resolves.toBeUndefined();
    expect(log).toEqual(['finally']);
  });

  it('throw(err) raises at the yield: a caught error goes on, an uncaught one rejects and finishes', async () => {
    function* catcher(): Generator<string> {
      try {
        yield 'ready';
      } catch (err) {
        yield `caught ${(err as Error).message}`;
      }
    }
    const it = new IteratorReferent(catcher());
    await it.next();
    expect(await it.throw(new Error('boom'))).toEqual({ value: 'caught boom', done: false });
    await expect(it.throw(new TypeError('out'))).rejects.toThrow(TypeError);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('closes an iterator without throw() and rejects with the error', async () => {
    const calls: string[] = [];
    const bare = {
      next: () => ({ value: 1, done: false }),
      return: () => {
        calls.push('return');
        return { value: undefined, done: true };
      },
    };
    const it = new IteratorReferent(bare);
    await expect(it.throw(new RangeError('into bare'))).rejects.toThrow('into bare');
    expect(calls).toEqual(['return']);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('keeps an iterator that failed in next() but has not finished (a Pool imap goes on)', async () => {
    let i = 0;
    const flaky = {
      next: () => {
        i++;
        if (i === 2) throw new RangeError('item 2 failed');
        return { value: i, done: i > 3 };
      },
    };
    const it = new IteratorReferent(flaky);
    expect(await it.next()).toEqual({ value: 1, done: false });
    await expect(it.next()).rejects.toThrow('item 2 failed');
    expect(await it.next()).toEqual({ value: 3, done: false });
    expect(await it.next()).toEqual({ value: 4, done: true });
  });

  it('rejects a next() that returns no iterator result', async () => {
    const it = new IteratorReferent({ next: () => 5 });
    await expect(it.next()).rejects.toThrow(/not an iterator result/);
  });

  it('awaits promises a sync iterator yields', async () => {
    const it = toIteratorReferent([Promise.resolve('later')]);
    expect(await it.next()).toEqual({ value: 'later', done: false });
  });

  it('runs calls one at a time: an async iterator is never asked twice at once', async () => {
    let active = 0;
    let most = 0;
    let n = 0;
    let release: (() => void) | undefined;
    let onStart: (() => void) | undefined;
    const started = (): Promise<void> =>
      new Promise<void>((resolve) => {
        onStart = resolve;
      });
    const slow = {
      next: async (): Promise<IteratorResult<number>> => {
        active++;
        most = Math.max(most, active);
        await new Promise<void>((resolve) => {
          release = resolve;
          onStart?.();
        });
        active--;
        n++;
        return { value: n, done: false };
      },
    };
    const it = new IteratorReferent(slow);
    let start = started();
    const steps = [it.next(), it.next(), it.next()];
    for (let k = 0; k < 3; k++) {
      await within(start, 5000, `next() #${String(k)} started`);
      start = started();
      release?.();
    }
    expect((await within(Promise.all(steps), 5000, 'the three steps')).map((s) => s.value)).toEqual([
      1, 2, 3,
    ]);
    expect(most).toBe(1);
  });
});
