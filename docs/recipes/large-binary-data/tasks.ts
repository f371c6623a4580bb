import type { RawArray } from '@multiprocessing/value-lock';

/** Sum, minimum and maximum of `data`. */
export function summarize(data: Float64Array): { length: number; sum: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of data) {
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { length: data.length, sum, min, max };
}

/** A new array: every element of `data` times `factor`. */
export function scaled(data: Float64Array, factor: number): Float64Array {
  return data.map((x) => x * factor);
}

/** Squares `data[start..end)` in place: the caller and every worker see the same memory. */
export function squareRawRange(data: RawArray<'d'>, start: number, end: number): number {
  for (let i = start; i < end; i++) data[i] = (data[i] ?? 0) ** 2;
  return end - start;
}
