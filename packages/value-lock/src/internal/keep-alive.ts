/**
 * A ref-counted handle that keeps this thread's event loop alive while an
 * `Atomics.waitAsync` is pending. On Node 20 a pending waitAsync does not
 * hold the loop open (nodejs/node#44729), so without it a
 * worker or the main program can exit with the promise unresolved.
 *
 * One long interval per thread is created lazily and kept unref'd; it is
 * ref'd while at least one wait is pending. ref()/unref() on an existing
 * timer cost far less than a timer per wait.
 */

// Invariant: `pending` counts the waits started by holdKeepAlive() and not yet
// ended by releaseKeepAlive(); `timer` is ref'd exactly when pending > 0.
let pending = 0;
let timer: NodeJS.Timeout | undefined;

// 2^30 ms (~12 days): under the 2^31 - 1 limit above which Node clamps to 1 ms.
const LONG_INTERVAL_MS = 2 ** 30;

function noop(): void {
  // The interval exists only to hold a ref on the event loop.
}

/** Starts holding the event loop open; pair with {@link releaseKeepAlive}. */
export function holdKeepAlive(): void {
  if (pending++ === 0) {
    if (timer === undefined) timer = setInterval(noop, LONG_INTERVAL_MS);
    else timer.ref();
  }
}

/** Ends one {@link holdKeepAlive}. */
export function releaseKeepAlive(): void {
  if (--pending === 0) timer?.unref();
}

/** How many waits currently hold the loop open (for tests). */
export function keepAliveCount(): number {
  return pending;
}
