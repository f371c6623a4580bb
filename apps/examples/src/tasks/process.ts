/**
 * Task functions for the process examples. Each runs inside a child
 * (a worker thread by default) started by `Process`.
 */
import { float, print } from '../repr.js';

/** Prints the squares of `numbers` (square-and-root). */
export function printSquares(numbers: number[]): void {
  print(
    'Squares:',
    numbers.map((n) => n * n),
  );
}

/** Prints the square roots of `numbers`, rounded to 2 places (square-and-root). */
export function printSquareRoots(numbers: number[]): void {
  print(
    'Square Roots:',
    numbers.map((n) => float(Math.round(Math.sqrt(n) * 100) / 100)),
  );
}
