export function square(x: number): number {
  return x * x;
}

export function fail(reason: string): never {
  throw new RangeError(reason);
}

/**
 * Stands for a long call: sets `gate[1]` to say it has started, then returns once the caller sets
 * `gate[0]` to 1 (10 s at most). The demo decides when it ends, so its output does not depend on timing.
 */
export function waitForGate(gate: SharedArrayBuffer): string {
  const view = new Int32Array(gate);
  Atomics.store(view, 1, 1);
  Atomics.notify(view, 1);
  Atomics.wait(view, 0, 0, 10_000);
  return Atomics.load(view, 0) === 1 ? 'the gate opened' : 'gave up waiting';
}
