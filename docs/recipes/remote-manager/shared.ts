/**
 * The objects the server holds, one of each for every client. The server imports this module;
 * clients only see the methods it exposes, through proxies.
 */
import { Queue } from '@multiprocessing/queue';

/** A table of results by key: the shared "dict". */
export class Results {
  readonly #entries = new Map<string, number>();

  set(key: string, value: number): void {
    this.#entries.set(key, value);
  }

  get(key: string): number | undefined {
    return this.#entries.get(key);
  }

  /** The entries sorted by key. */
  items(): [string, number][] {
    return [...this.#entries].sort(([a], [b]) => a.localeCompare(b));
  }
}

const jobs = new Queue<string>();
const results = new Results();

export function getJobs(): Queue<string> {
  return jobs;
}

export function getResults(): Results {
  return results;
}
