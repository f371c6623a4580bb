/**
 * Task functions for the pool examples. Each runs inside a pool worker (a
 * worker thread by default), so it is exported from a module and handed to
 * the pool as `moduleRef(...).name`.
 */
import { currentProcess } from '@multiprocessing/process';
import { tuple } from '../repr.js';

/** A scientist of the course's data set. */
export interface Scientist {
  readonly name: string;
  readonly born: number;
}

/** Name and age in 2017 (scientists-map, pool-oversubscribed). */
export function processItem(item: Scientist): { name: string; age: number } {
  return { name: item.name, age: 2017 - item.born };
}

/** The same, deliberately slow: about one second each, as in the course (scientists-testbed). */
export async function slowProcessItem(item: Scientist): Promise<{ name: string; age: number }> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return { name: item.name, age: 2017 - item.born };
}

/** Treats a scientist as a list of records, as the course's comment did: it throws (remote-error). */
export function transform(item: Scientist): number {
  const records = item as unknown as { field: { name: string }[] };
  return records.field.map((r) => r.name.length).reduce((a, b) => a + b, 0);
}

/** Some work on one item (generic-pool-map). */
export function processData(data: number): number {
  let acc = 0;
  for (let i = 0; i < 100_000; i++) acc = (acc + data * i) % 1_000_003;
  return acc;
}

/** x² (square, cpu-count). */
export function square(x: number): number {
  return x ** 2;
}

/** base ** exponent (power-starmap). */
export function power(base: number, exponent: number): number {
  return base ** exponent;
}

function fibonacci(n: number): number {
  return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2);
}

/** Several operations on one number (process-number). */
export function processNumber(n: number): { input: number; fib: number; sqrt: number; log: number | null } {
  return { input: n, fib: fibonacci(Math.min(n, 20)), sqrt: Math.sqrt(n), log: n > 0 ? Math.log(n) : null };
}

/** Prints which worker squares which number (pool-pids). */
export function computeSquares(num: number): number {
  console.log(`Process ${currentProcess().name} calculating square of ${String(num)}`);
  return num * num;
}

/** The product of three numbers, printed by the worker that computes it (exec-func, starmap-product). */
export function calcProduct(num1: number, num2: number, num3: number): number {
  console.log(`Process ${currentProcess().name} calculating product of ${tupleText(num1, num2, num3)}`);
  return num1 * num2 * num3;
}

/** The intermediate function of the course: unpacks one argument array for calcProduct (exec-func). */
export function execFunc(nums: [number, number, number]): number {
  return calcProduct(...nums);
}

function tupleText(...items: number[]): string {
  return `(${tuple(...items).join(', ')})`;
}

/**
 * The cubes of 0 … 999, summed (serial-vs-parallel). The course returns the
 * list; JavaScript computes it about a hundred times faster than CPython,
 * so returning 100 000 lists would time the copying of 800 MB between
 * threads instead of the computation. The sum keeps the work and drops the copy.
 */
export function calcCubes(_: number): number {
  const cubes: number[] = [];
  for (let n = 0; n < 1000; n++) cubes.push(n * n * n);
  let sum = 0;
  for (const c of cubes) sum += c;
  return sum;
}

/** Says who runs it and returns n² (process-vs-pool). */
export function describeSquare(n: number): number {
  console.log(`${currentProcess().name}: ${String(n)} squared is ${String(n * n)}`);
  return n * n;
}

/** A slow square, for the executor demo. */
export async function slowSquare(n: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return n * n;
}
