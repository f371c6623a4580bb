/** Ends the worker it runs in. In a worker thread, `process.exit` ends that thread, not the program. */
export function crash(code: number): never {
  process.exit(code);
}

/** Fails the ordinary way: the error goes back to the caller and the worker lives on. */
export function fail(reason: string): never {
  throw new RangeError(`bad input: ${reason}`);
}

export function square(x: number): number {
  return x * x;
}
