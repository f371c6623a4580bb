/**
 * Task functions for the process examples. Each runs inside a child
 * (a worker thread by default) started by `Process`; so does the `run()`
 * of the Process subclass below.
 */
import { Process } from '@multiprocessing/process';
import type { Queue } from '@multiprocessing/queue';
import { float, print, repr } from '../repr.js';

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

/**
 * A Process subclass (process-subclass): its `run()` squares `numbers` in
 * the child and puts a line on `results`.
 */
export class Squarer extends Process {
  numbers: number[];
  results: Queue<string>;

  constructor(numbers: number[], results: Queue<string>) {
    super();
    this.numbers = numbers;
    this.results = results;
  }

  override async run(): Promise<void> {
    const squares = this.numbers.map((n) => n * n);
    await this.results.put(`${this.name} squared ${repr(this.numbers)}: ${repr(squares)}`);
  }
}
