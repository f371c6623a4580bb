import { Outcome, SharedRing } from '../../src/internal/ring.js';

const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

function take(ring: SharedRing): Uint8Array {
  const r = ring.getSync(undefined, true);
  if (typeof r !== 'object') throw new Error(`no frame: ${r}`);
  return r;
}

describe(SharedRing, () => {
  it('wraps frames (and their headers) around the end of the ring', () => {
    const ring = SharedRing.create(0, 64);
    for (let round = 0; round < 50; round++) {
      // 4 + 13 bytes per frame: offsets drift through every alignment.
      expect(ring.putSync(bytes(13, round), undefined, true, false)).toBe(Outcome.Done);
      expect(ring.putSync(bytes(13, round + 1), undefined, true, false)).toBe(Outcome.Done);
      expect(take(ring)).toEqual(bytes(13, round));
      expect(take(ring)).toEqual(bytes(13, round + 1));
    }
    expect(ring.dataBuffer.byteLength).toBe(64);
  });

  it('grows in place, keeping wrapped frames in order', () => {
    const ring = SharedRing.create(0, 64);
    // Leave the head in the middle so the frames below wrap before growing.
    ring.putSync(bytes(30, 9), undefined, true, false);
    ring.putSync(bytes(10, 0), undefined, true, false);
    take(ring);
    ring.putSync(bytes(20, 1), undefined, true, false);
    ring.putSync(bytes(20, 2), undefined, true, false);
    expect(ring.dataBuffer.byteLength).toBe(64);
    ring.putSync(bytes(200, 3), undefined, true, false);
    ring.putSync(bytes(10_000, 4), undefined, true, false);
    expect(ring.dataBuffer.byteLength).toBeGreaterThan(10_000);
    expect(take(ring)).toEqual(bytes(10, 0));
    expect(take(ring)).toEqual(bytes(20, 1));
    expect(take(ring)).toEqual(bytes(20, 2));
    expect(take(ring)).toEqual(bytes(200, 3));
    expect(take(ring)).toEqual(bytes(10_000, 4));
    expect(ring.getSync(undefined, true)).toBe(Outcome.Empty);
  });

  it('reports Full at maxsize items and Closed after close()', () => {
    const ring = SharedRing.create(2, 64);
    expect(ring.putSync(bytes(1, 1), undefined, true, false)).toBe(Outcome.Done);
    expect(ring.putSync(bytes(1, 1), undefined, true, false)).toBe(Outcome.Done);
    expect(ring.putSync(bytes(1, 1), undefined, true, false)).toBe(Outcome.Full);
    ring.close();
    expect(ring.putSync(bytes(1, 1), undefined, true, false)).toBe(Outcome.Closed);
    take(ring);
    take(ring);
    expect(ring.getSync(undefined, true)).toBe(Outcome.Closed);
  });

  it('shares its state with a second view of the same memory', () => {
    const a = SharedRing.create(0, 64);
    const b = new SharedRing(a.data);
    a.putSync(bytes(100, 7), undefined, true, false);
    expect(b.count()).toBe(1);
    expect(take(b)).toEqual(bytes(100, 7));
    expect(a.count()).toBe(0);
  });
});
