/**
 * The part of threads.js 1.7.0's API the peer factory uses. Its own typings
 * sit outside its package.json "exports", so NodeNext resolution cannot see
 * them.
 */
declare module 'threads' {
  /** A job queued on a threads.js pool: thenable, cancellable. */
  export interface QueuedTask<R> extends PromiseLike<R> {
    cancel(): void;
  }
  export interface WorkerPool<T> {
    queue<R>(task: (thread: T) => Promise<R>): QueuedTask<R>;
    terminate(force?: boolean): Promise<void>;
  }
  export function Pool<T>(
    spawnWorker: () => Promise<T>,
    options?: number | { size?: number; concurrency?: number; maxQueuedJobs?: number },
  ): WorkerPool<T>;
  export function spawn<T>(worker: Worker, options?: { timeout?: number }): Promise<T>;
  /** threads.js's Worker is a `worker_threads` Worker (an EventEmitter) in Node. */
  export class Worker {
    constructor(scriptPath: string, options?: { workerData?: unknown });
    listenerCount(eventName: string): number;
    on(eventName: string, listener: (...args: never[]) => void): this;
  }
  export const Thread: {
    terminate(thread: unknown): Promise<void>;
  };
}
