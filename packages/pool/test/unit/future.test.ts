/**
 * parity: a Future made and completed by your own code, as Python's
 * `Future()` with `set_running_or_notify_cancel`, `set_result` and
 * `set_exception` (CPython's test_multiple_set_result and
 * test_multiple_set_exception, adapted), seen through the public entry.
 */
import {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  Future,
  InvalidStateError,
  StateError,
  wait,
} from '@multiprocessing/pool';

describe('new Future()', () => {
  it('is pending until set running, then completes once with setResult (test_multiple_set_result)', async () => {
    const f = new Future<number>();
    expect([f.done(), f.running(), f.cancelled()]).toEqual([false, false, false]);
    expect(f.setRunningOrNotifyCancel()).toBe(true);
    expect(f.running()).toBe(true);
    const seen: number[] = [];
    f.addDoneCallback((done) => {
      seen.push(done === f ? 1 : 0);
    });
    f.setResult(1);
    expect(() => {
      f.setResult(2);
    }).toThrow(InvalidStateError);
    expect(() => {
      f.setResult(2);
    }).toThrow(/^finished: <Future #\d+ state=finished>$/);
    expect(f.done()).toBe(true);
    await expect(f.result()).resolves.toBe(1);
    await expect(f).resolves.toBe(1);
    expect(seen).toEqual([1]);
  });

  it('completes with setException, once (test_multiple_set_exception)', async () => {
    const f = new Future<number>();
    const error = new RangeError('failed by hand');
    f.setException(error);
    expect(() => {
      f.setException(new Error('again'));
    }).toThrow(InvalidStateError);
    await expect(f.exception()).resolves.toBe(error);
    await expect(f.result()).rejects.toBe(error);
  });

  it('tells a cancelled future apart: setRunningOrNotifyCancel is false, and setting it throws', () => {
    const f = new Future<number>();
    expect(f.cancel()).toBe(true);
    expect(f.setRunningOrNotifyCancel()).toBe(false);
    expect(() => {
      f.setResult(1);
    }).toThrow(/^cancelled: <Future #\d+ state=cancelled>$/);
  });

  it('refuses to be set running twice, with Python’s message', () => {
    const f = new Future();
    f.setRunningOrNotifyCancel();
    expect(() => f.setRunningOrNotifyCancel()).toThrow(new StateError('Future in unexpected state'));
    expect(() => new (Future as unknown as new (x: unknown) => Future<unknown>)('x')).toThrow(
      new TypeError('new Future() takes no arguments'),
    );
  });

  it('works with wait(): done once set by hand', async () => {
    const a = new Future<string>();
    const b = new Future<string>();
    const first = wait([a, b], { returnWhen: FIRST_COMPLETED, timeout: 30 });
    b.setResult('b');
    const { done, notDone } = await first;
    expect([...done]).toEqual([b]);
    expect([...notDone]).toEqual([a]);
    a.setException(new Error('a'));
    const all = await wait([a, b], { returnWhen: ALL_COMPLETED, timeout: 30 });
    expect(all.done.size).toBe(2);
  });
});
