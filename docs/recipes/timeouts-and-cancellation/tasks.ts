/** Keeps the CPU busy for `seconds`: a task that never gives its thread back on its own. */
export function spin(seconds: number): string {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    // busy
  }
  return `spun for ${String(seconds)} s`;
}

/** `x * x`, except for 3, which spins for 30 s. */
export function squareSlowOn3(x: number): number {
  if (x === 3) spin(30);
  return x * x;
}

/** Blocks until the caller stores 1 in `gate[0]` (10 s at most). */
export function waitForGate(gate: SharedArrayBuffer): string {
  const view = new Int32Array(gate);
  Atomics.wait(view, 0, 0, 10_000);
  return Atomics.load(view, 0) === 1 ? 'the gate opened' : 'gave up waiting';
}

export function square(x: number): number {
  return x * x;
}
