/**
 * A child under 'thread': a worker thread of this process running the
 * bootstrap, with its init data and the parent's shared buffers in
 * `workerData`, and its output piped into ours (or to `output`).
 */
import { Worker, type Transferable } from 'node:worker_threads';
import { kSharedBuffers, sharedBufferHandoff } from '@multiprocessing/core/internal';
import { entryPath } from './entry-path.js';
import type { LaunchOptions } from './launch-types.js';
import { asPicklingError, flowUnpiped, LaunchedChild } from './launched-child.js';
import { kRuntime, type InitData, type InterruptMessage } from './protocol.js';

/** A child started as a worker thread, under the `'thread'` start method. */
export class ThreadChild extends LaunchedChild {
  readonly startMethod = 'thread' as const;
  readonly pid = process.pid;
  readonly ident: number;
  readonly #worker: Worker;
  #ended = false;

  constructor(options: LaunchOptions, init: InitData) {
    super(options.name);
    let worker: Worker;
    // Core in the child adopts the parent's shared buffers from workerData,
    // and those the parent learns later through the relay.
    const buffers = sharedBufferHandoff();
    const output = options.output;
    try {
      // entryBootstraps: the entry does the bootstrap's work (child-start.ts).
      const first = options.entryBootstraps === true ? new URL(init.entry) : entryPath('bootstrap');
      worker = new Worker(first, {
        workerData: { [kRuntime]: init, [kSharedBuffers]: buffers },
        transferList: [...(options.transfer ?? []), buffers.relay],
        resourceLimits: options.resourceLimits,
        name: options.name,
        ...(options.env !== undefined ? { env: { ...options.env } } : {}),
        ...(options.argv !== undefined ? { argv: [...options.argv] } : {}),
        ...(options.execArgv !== undefined ? { execArgv: [...options.execArgv] } : {}),
        // true: the output is ours to read, not piped into process.stdout/stderr.
        stdout: output !== undefined,
        stderr: output !== undefined,
      });
    } catch (err) {
      buffers.relay.close();
      throw asPicklingError(err);
    }
    this.#worker = worker;
    this.track();
    this.ident = worker.threadId;
    // Node pipes the worker's output into ours without keeping the event
    // loop alive (a stream we read ourselves would). `exited` waits for the
    // end of both streams, i.e. until the last chunk has been written to ours.
    let open = 3;
    let code = 1;
    const done = (): void => {
      if (--open === 0) this.settle(code);
    };
    if (output === undefined) {
      flowUnpiped(worker.stdout);
      flowUnpiped(worker.stderr);
    } else {
      worker.stdout.on('data', (chunk: Buffer | string) => {
        output('stdout', chunk);
      });
      worker.stderr.on('data', (chunk: Buffer | string) => {
        output('stderr', chunk);
      });
    }
    worker.stdout.once('end', done);
    worker.stderr.once('end', done);
    worker.on('message', (message: unknown) => {
      this.dispatch(message);
    });
    worker.on('error', (err: Error) => {
      this.fallbackError(err);
    });
    worker.once('exit', (exitCode: number) => {
      this.#ended = true;
      code = exitCode;
      done();
    });
  }

  postMessage(message: unknown, transfer?: readonly Transferable[]): void {
    this.#worker.postMessage(message, transfer === undefined ? undefined : [...transfer]);
  }

  interrupt(): void {
    if (this.#ended) return;
    const message: InterruptMessage = { [kRuntime]: 'interrupt' };
    this.#worker.postMessage(message);
  }

  protected end(code: number): void {
    if (this.#ended || this.forced !== undefined) return;
    this.forced = code;
    void this.#worker.terminate();
  }

  ref(): void {
    this.#worker.ref();
  }

  unref(): void {
    this.#worker.unref();
  }
}
