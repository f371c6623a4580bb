// What the cross-process tests share: children started under the 'process'
// context, each ended after its test, and bounded waits on their exits.
import { getContext, type Process, type TaskRef } from '@multiprocessing/all';
import { within } from '@multiprocessing/test-utils';
import { endTracked, fixture as fixtureIn, track } from '../children.js';

export { within } from '@multiprocessing/test-utils';

/** The bound of one wait for a child, in seconds: inside jest's 60 s, on a slow shared machine. */
export const WAIT_S = 30;

const { Process: ProcessChild } = getContext('process');

/** A typed reference to `name` of the fixture module `file` (test/fixtures/cross-process/). */
export function fixture<M>(file: string): ReturnType<typeof fixtureIn<M>> {
  return fixtureIn<M>(`cross-process/${file}`);
}

/** Starts a child OS process running `target(...args)`; {@link endChildren} ends it. */
export function spawn(target: TaskRef, args: unknown[] = []): Process {
  const p = track(new ProcessChild({ target, args }));
  p.start();
  return p;
}

/** The exit code of `p`, failing if it has not ended within `seconds`. */
export function exitOf(p: Process, seconds = WAIT_S): Promise<number> {
  return within(p.exited, seconds * 1000, `${p.name} (pid ${String(p.pid)}) ending`);
}

/** Waits for every child in `ps` to end and returns their exit codes. */
export function exitsOf(ps: readonly Process[], seconds = WAIT_S): Promise<number[]> {
  return Promise.all(ps.map((p) => exitOf(p, seconds)));
}

/** Kills every child a test left running and waits (bounded) until each has ended. */
export const endChildren = endTracked;
