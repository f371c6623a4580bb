import { JoinableQueue } from '../../src/joinable-queue.js';
import { Queue } from '../../src/queue.js';

describe.each([
  ['Queue', (maxsize: unknown) => new Queue({ maxsize: maxsize as number })],
  ['JoinableQueue', (maxsize: unknown) => new JoinableQueue({ maxsize: maxsize as number })],
])('parity: multiprocessing.%s maxsize', (_name, make) => {
  it('above 2^31-1: RangeError naming maxsize and the bound (no silent clamp)', () => {
    expect(() => make(1e12)).toThrow(
      new RangeError('maxsize must be <= 2147483647 (the item count is a 32-bit word), got 1000000000000'),
    );
    expect(() => make(2 ** 31)).toThrow(RangeError);
  });

  it('the bound itself is kept as given', () => {
    const q = make(2 ** 31 - 1);
    expect(q.maxsize).toBe(2 ** 31 - 1);
    q.close();
  });

  it.each([
    [1.5, 'maxsize must be an integer, got 1.5'],
    [Infinity, 'maxsize must be an integer, got Infinity'],
    [NaN, 'maxsize must be an integer, got NaN'],
    ['3', 'maxsize must be an integer, got string'],
    [3n, 'maxsize must be an integer, got bigint'],
  ])('%p: TypeError naming maxsize', (maxsize, message) => {
    expect(() => make(maxsize)).toThrow(new TypeError(message));
  });
});
