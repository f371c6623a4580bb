// The same work as tasks.ts, in plain JavaScript: under tsx on Node 20 the peers'
// worker threads cannot load a .ts file (see the page).

/** @param {number} x */
export function square(x) {
  return x * x;
}

/** Counts the primes below `limit` by trial division. @param {number} limit */
export function countPrimes(limit) {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}
