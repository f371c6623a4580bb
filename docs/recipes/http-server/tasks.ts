/** The CPU-bound work a request asks for: the n-th Fibonacci number, computed the slow way. */
export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/**
 * Stands for a long job. It returns once `gate[0]` is 1 (or after 10 s), so that the demo decides
 * when it ends and its transcript does not depend on timing.
 */
export function hold(gate: SharedArrayBuffer): string {
  Atomics.wait(new Int32Array(gate), 0, 0, 10_000);
  return 'done';
}
