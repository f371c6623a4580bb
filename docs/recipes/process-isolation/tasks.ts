/**
 * Kills its own process with SIGKILL, as the kernel's out-of-memory killer would. (SIGSEGV or
 * `process.abort()` end it the same way, but may leave a core dump behind.)
 */
export function killSelf(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL lands at once; this line is never reached.
  throw new Error('still alive');
}

/** Ends its process with exit code 7. */
export function exit7(): never {
  process.exit(7);
}

/** The id of the process that runs it. */
export function pid(): number {
  return process.pid;
}
