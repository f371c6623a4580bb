/**
 * What a child runs before it exits so its streamed calls reach their
 * owners (Python joins a queue's feeder thread at exit). The remote client
 * registers here; the process entry runs the hooks without loading it.
 */
const key = Symbol.for('@multiprocessing/process:remoteExitHooks');
const slots = globalThis as unknown as Record<symbol, (() => void)[] | undefined>;

/** Adds a hook to run before this thread's program exits. */
export function onRemoteExit(hook: () => void): void {
  (slots[key] ??= []).push(hook);
}

/** Runs every hook (each once); errors are left to the hook. */
export function runRemoteExitHooks(): void {
  const hooks = slots[key];
  if (hooks === undefined) return;
  slots[key] = undefined;
  for (const hook of hooks) hook();
}
