/** A slow, CPU-bound step: the sum of the digits of every number below `limit`. */
export function digitSum(limit: number): number {
  let total = 0;
  for (let n = 0; n < limit; n++) {
    for (let m = n; m > 0; m = Math.floor(m / 10)) total += m % 10;
  }
  return total;
}
