/**
 * How `connection.wait()` asks an object whether it can be read without
 * blocking, and waits until it can: a `Connection` (data or EOF), a queue
 * (an item, or closed). The classes implement both symbols; the waiting
 * one resolves when the object is ready or when `signal` aborts, and leaves
 * nothing waiting behind it.
 */

/** `[kReadyNow](): boolean`: whether a read would not block now. */
export const kReadyNow: unique symbol = Symbol.for('@multiprocessing/ready-now');

/** `[kWhenReady](signal: AbortSignal): Promise<void>`: settles once ready, or once `signal` aborts. */
export const kWhenReady: unique symbol = Symbol.for('@multiprocessing/when-ready');

/** An object `connection.wait()` can wait on. */
export interface Readiness {
  [kReadyNow](): boolean;
  [kWhenReady](signal: AbortSignal): Promise<void>;
}

/** Whether `value` implements {@link Readiness}. */
export function hasReadiness(value: unknown): value is Readiness {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<Readiness>)[kReadyNow] === 'function' &&
    typeof (value as Partial<Readiness>)[kWhenReady] === 'function'
  );
}
