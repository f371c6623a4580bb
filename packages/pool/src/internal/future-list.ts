/**
 * The `fs` argument of `wait()` and `asCompleted()`: an iterable of Futures,
 * each counted once however often it appears (Python turns `fs` into a set).
 */
import { Future, type SomeFuture } from '../future.js';

/** What a value is, for the message of a rejected argument. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' || typeof value === 'function') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `a ${name}` : typeof value;
  }
  return typeof value;
}

/**
 * The distinct Futures of `fs`, in first-seen order.
 *
 * @throws {TypeError} `fs must be an iterable of Futures` (a string, a lone
 *   Future, a non-iterable), or `fs[i] must be a Future` naming the first bad item.
 */
export function distinctFutures<F extends SomeFuture>(fs: Iterable<F>): F[] {
  if (
    fs === null ||
    fs === undefined ||
    typeof fs === 'string' ||
    typeof (fs as Partial<Iterable<F>>)[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(`fs must be an iterable of Futures, got ${describe(fs)}`);
  }
  const seen = new Set<F>();
  let i = 0;
  for (const f of fs) {
    if (!(f instanceof Future)) {
      throw new TypeError(`fs[${String(i)}] must be a Future, got ${describe(f)}`);
    }
    seen.add(f);
    i++;
  }
  return [...seen];
}
