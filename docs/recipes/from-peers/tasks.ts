/** The work every program in this recipe runs: one fast function and one slow one. */
export function square(x: number): number {
  return x * x;
}

/** Counts the primes below `limit` by trial division: deliberately slow, CPU-bound work. */
export function countPrimes(limit: number): number {
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
