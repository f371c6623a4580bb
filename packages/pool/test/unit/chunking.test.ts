/** parity: multiprocessing.Pool._map_async's default chunksize, and the option's checks. */
import { chunksizeOption, defaultChunksize } from '../../src/internal/call-wire.js';

describe('parity: multiprocessing.Pool.map chunksize', () => {
  it("follows Python's formula ceil(len / (4 × processes))", () => {
    expect(defaultChunksize(100_000, 2)).toBe(12_500);
    expect(defaultChunksize(10_000, 2)).toBe(1250);
    expect(defaultChunksize(7, 2)).toBe(1);
    expect(defaultChunksize(9, 2)).toBe(2);
    expect(defaultChunksize(10, 4)).toBe(1);
    expect(defaultChunksize(0, 4)).toBe(0);
  });

  it('accepts a positive integer and refuses the rest', () => {
    expect(chunksizeOption(undefined, () => 3)).toBe(3);
    expect(chunksizeOption(null, () => 3)).toBe(3);
    expect(chunksizeOption(5, () => 3)).toBe(5);
    expect(() => chunksizeOption(0, () => 3)).toThrow(new RangeError('Chunksize must be 1+, not 0'));
    expect(() => chunksizeOption(-2, () => 3)).toThrow(RangeError);
    expect(() => chunksizeOption(1.5, () => 3)).toThrow(TypeError);
    expect(() => chunksizeOption('2', () => 3)).toThrow(TypeError);
  });
});
