// What the integration tests share: typed references to the targets of a
// fixture module, and the children a test started (each one still running
// after the test is killed, and every one awaited, bounded, before the next).
import { taskRef, type AnyFunction, type Process, type TaskRef } from '@multiprocessing/all';
import { within } from '@multiprocessing/test-utils';

/** A typed reference to `name` of the fixture module `file` (a path under test/fixtures/). */
export function fixture<M>(
  file: string,
): <K extends keyof M & string>(name: K) => TaskRef<M[K] & AnyFunction> {
  const url = new URL(`../fixtures/${file}`, import.meta.url);
  return (name) => taskRef(url, name);
}

const tracked: Process[] = [];

/** Remembers `p` (started, or about to be) for {@link endTracked}; returns it. */
export function track<P extends Process>(p: P): P {
  tracked.push(p);
  return p;
}

/** Kills every tracked child still running and waits (bounded) until each has ended. */
export async function endTracked(): Promise<void> {
  const ps = tracked.splice(0);
  for (const p of ps) {
    if (p.exitcode === null && p.pid !== null) p.kill();
  }
  await Promise.all(
    ps.filter((p) => p.pid !== null).map((p) => within(p.exited, 30_000, `${p.name} ending after kill()`)),
  );
}
