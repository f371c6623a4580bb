/** Whether an OS process still exists, by its pid. */

/**
 * True while a process with this pid exists and this process may signal it (signal 0 only checks; an
 * ended child that has not been reaped yet still counts). Throws a RangeError unless `pid` is a positive
 * integer: 0 and negative pids name process groups.
 */
export function alive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    throw new RangeError(`pid must be a positive integer, got ${String(pid)}`);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
