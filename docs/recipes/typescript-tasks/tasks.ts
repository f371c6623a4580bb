/**
 * The workers' code, in TypeScript. It imports only the types of the shared classes: the Value
 * and the Queue arrive from the parent as live objects and need no import to work.
 */
import type { Queue } from '@multiprocessing/queue';
import type { Value } from '@multiprocessing/value-lock';

interface Shared {
  readonly progress: Value<'i'>;
  readonly messages: Queue<string>;
}

let shared: Shared | undefined; // one per worker, set by init()

/** The pool's initializer: runs once in each worker, before its first task. */
export function init(progress: Value<'i'>, messages: Queue<string>): void {
  shared = { progress, messages };
}

export interface Score {
  readonly word: string;
  readonly score: number;
}

/** A task: scores a word (a = 1 … z = 26), counts it in the shared Value, says so on the Queue. */
export function score(word: string): Score {
  if (shared === undefined) throw new Error('init() has not run in this worker');
  const { progress, messages } = shared;
  let total = 0;
  for (let i = 0; i < word.length; i++) total += word.charCodeAt(i) - 96;
  progress.withLockSync(() => ++progress.value);
  messages.putSync(`scored ${word}`);
  return { word, score: total };
}
