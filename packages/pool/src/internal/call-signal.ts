/**
 * What a call does with its `signal` and its `timeout` on the caller's side:
 * it follows the signal (an abort ends it), and a wait for the next result
 * of a lazy call (imap, stream) gives up after the timeout. The run-time
 * limit of a task in its worker is worker-slot.ts's clock.
 */
import { raceTimeout } from '@multiprocessing/core/internal';

/** Something to unsubscribe: nothing. */
export function noSubscription(): void {
  // A call without a signal follows nothing.
}

/**
 * Follows `signal` for a call: `abort(reason)` runs when it fires. Returns
 * the function that stops following it; or, when the signal has fired
 * already, fails the call with its reason and returns undefined (the call
 * follows nothing then).
 */
export function followSignal(
  signal: AbortSignal | undefined,
  call: { fail(error: Error): void },
  abort: (reason: Error) => void,
): (() => void) | undefined {
  if (signal === undefined) return noSubscription;
  if (signal.aborted) {
    call.fail(signal.reason as Error);
    return undefined;
  }
  const listener = (): void => {
    abort(signal.reason as Error);
  };
  signal.addEventListener('abort', listener, { once: true });
  return () => {
    signal.removeEventListener('abort', listener);
  };
}

/** A pending `next()` of a lazy call, answered from the call's results. */
export interface Waiter<T> {
  resolve(result: T): void;
  reject(error: unknown): void;
}

/**
 * Queues a waiter on `waiters` and settles as it is answered; after `waitMs`
 * (undefined: no limit) the waiter leaves the queue unanswered and the wait
 * rejects with `onTimeout()`. `changed` runs after the queue grows or
 * shrinks here.
 */
export function waitForResult<T>(
  waiters: Waiter<T>[],
  waitMs: number | undefined,
  onTimeout: () => Error,
  changed?: () => void,
): Promise<T> {
  let waiter!: Waiter<T>;
  const answered = new Promise<T>((resolve, reject) => {
    waiter = { resolve, reject };
  });
  waiters.push(waiter);
  changed?.();
  return raceTimeout(answered, waitMs, () => {
    const at = waiters.indexOf(waiter);
    if (at >= 0) {
      waiters.splice(at, 1);
      changed?.();
    }
    throw onTimeout();
  });
}
