import { currentTask } from '@multiprocessing/pool';

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/**
 * Counts the primes below `limit`. Every 100 000 numbers it reports how far it got, lets the
 * event loop run (so the pool's request to stop can arrive), and stops if its caller gave up.
 */
export async function countPrimes(limit: number): Promise<number> {
  const { signal, progress } = currentTask();
  let count = 0;
  for (let n = 0; n < limit; n++) {
    if (isPrime(n)) count++;
    if (n > 0 && n % 100_000 === 0) {
      progress(n);
      await new Promise((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
    }
  }
  return count;
}

/** Keeps the CPU busy for `seconds` without ever looking at its signal. */
export function spin(seconds: number): string {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    // busy
  }
  return `spun for ${String(seconds)} s`;
}
