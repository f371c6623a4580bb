import { encode } from '@multiprocessing/core';
import { CLOSED, EMPTY, Outcome, SharedRing } from '../../src/internal/ring.js';
import { deadlineAfter } from '../../src/internal/wait.js';

// A frame of `n` encoded bytes (a string of n - 1 or n - 2 characters).
const item = (n: number, c: string): string => c.repeat(n <= 32 ? n - 1 : n - 2);
const put = (ring: SharedRing, value: string): Outcome =>
  ring.putSync(encode(value).slice(), undefined, true, false);
const take = (ring: SharedRing): unknown => ring.getSync(undefined, true);

describe(SharedRing, () => {
  it('wraps frames (and their headers) around the end of the ring', () => {
    const ring = SharedRing.create(0, 64);
    for (let round = 0; round < 50; round++) {
      // 4 + 13 bytes per frame: offsets drift through every alignment.
      const a = item(13, String.fromCharCode(97 + (round % 26)));
      const b = item(13, String.fromCharCode(65 + (round % 26)));
      expect(put(ring, a)).toBe(Outcome.Done);
      expect(put(ring, b)).toBe(Outcome.Done);
      expect(take(ring)).toBe(a);
      expect(take(ring)).toBe(b);
    }
    expect(ring.dataBuffer.byteLength).toBe(64);
  });

  it('grows in place, keeping wrapped frames in order', () => {
    const ring = SharedRing.create(0, 64);
    // Leave the head in the middle so the frames below wrap before growing.
    put(ring, item(30, 'z'));
    put(ring, item(10, '0'));
    take(ring);
    put(ring, item(20, '1'));
    put(ring, item(20, '2'));
    expect(ring.dataBuffer.byteLength).toBe(64);
    put(ring, item(200, '3'));
    put(ring, item(10_000, '4'));
    expect(ring.dataBuffer.byteLength).toBeGreaterThan(10_000);
    expect(take(ring)).toBe(item(10, '0'));
    expect(take(ring)).toBe(item(20, '1'));
    expect(take(ring)).toBe(item(20, '2'));
    expect(take(ring)).toBe(item(200, '3'));
    expect(take(ring)).toBe(item(10_000, '4'));
    expect(take(ring)).toBe(EMPTY);
  });

  it('puts frames back at the front in their order, wrapping below offset 0 and growing', () => {
    const ring = SharedRing.create(0, 64);
    const back = (...values: string[]): void => {
      ring.putBack(values.map((v) => encode(v).slice()));
    };
    // An empty ring: its head is 0, so the first frame put back wraps to the end.
    back(item(10, 'a'), item(13, 'b'));
    put(ring, item(10, 'c'));
    expect(take(ring)).toBe(item(10, 'a'));
    // The head is now mid-ring; these need more room than is left: the ring grows.
    back(item(10, 'x'), item(30, 'y'), item(20, 'z'));
    expect(ring.dataBuffer.byteLength).toBeGreaterThan(64);
    expect(ring.count()).toBe(5);
    for (const v of [item(10, 'x'), item(30, 'y'), item(20, 'z'), item(13, 'b'), item(10, 'c')]) {
      expect(take(ring)).toBe(v);
    }
    expect(take(ring)).toBe(EMPTY);
  });

  it('wakes a getter waiting on the empty ring', async () => {
    const ring = SharedRing.create(0, 64);
    const waiting = ring.getAsync(deadlineAfter(30_000), false);
    ring.putBack([encode('w').slice()]);
    await expect(waiting).resolves.toBe('w');
  });

  it('takes frames back on a closed ring, and does not count them as new tasks', () => {
    const ring = SharedRing.create(0, 64);
    expect(ring.putSync(encode('t').slice(), undefined, true, true)).toBe(Outcome.Done);
    expect(take(ring)).toBe('t');
    ring.close();
    ring.putBack([encode('t').slice()]);
    expect(ring.unfinished()).toBe(1);
    expect(take(ring)).toBe('t');
    expect(take(ring)).toBe(CLOSED);
  });

  it('reports Full at maxsize items and CLOSED after close()', () => {
    const ring = SharedRing.create(2, 64);
    expect(put(ring, 'a')).toBe(Outcome.Done);
    expect(put(ring, 'b')).toBe(Outcome.Done);
    expect(put(ring, 'c')).toBe(Outcome.Full);
    ring.close();
    expect(put(ring, 'd')).toBe(Outcome.Closed);
    expect(take(ring)).toBe('a');
    expect(take(ring)).toBe('b');
    expect(take(ring)).toBe(CLOSED);
  });

  it('shares its state with a second view of the same memory', () => {
    const a = SharedRing.create(0, 64);
    const b = new SharedRing(a.data);
    put(a, item(100, 'q'));
    expect(b.count()).toBe(1);
    expect(take(b)).toBe(item(100, 'q'));
    expect(a.count()).toBe(0);
  });
});
