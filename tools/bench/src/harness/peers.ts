/**
 * Worker-pool peers behind one interface, so a suite can run the same `.mjs`
 * task module through piscina, tinypool, workerpool, threads.js and a raw
 * `worker_threads` pool (one MessageChannel per worker) and compare them.
 */
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import { Pool as ThreadsPool, spawn as threadsSpawn, Worker as ThreadsWorker } from 'threads';

/** The pools a suite can compare against. `raw` is plain `worker_threads`. */
export type PeerName = 'piscina' | 'tinypool' | 'workerpool' | 'threads.js' | 'raw';

/** The four published pools, in the table's column order. */
export const poolPeers: readonly PeerName[] = ['piscina', 'tinypool', 'workerpool', 'threads.js'];

/** Options of {@link createPeerPool}. */
export interface PeerPoolOptions {
  /** The task module: a `.mjs` file (URL, `file:` URL string or absolute path). */
  readonly fixture: URL | string;
  /**
   * The export to run.
   * @default 'default'
   */
  readonly name?: string;
  /**
   * Worker threads, started before the factory resolves.
   * @default os.availableParallelism()
   */
  readonly threads?: number;
}

/** A running pool of one peer. */
export interface PeerPool {
  readonly peer: PeerName;
  readonly threads: number;
  /** Runs the task on one argument; resolves to its result. */
  run(arg: unknown): Promise<unknown>;
  /** Stops every worker. */
  destroy(): Promise<void>;
}

const fixturesDir = new URL('../../fixtures/', import.meta.url);

function toFileUrl(fixture: URL | string): string {
  if (fixture instanceof URL) return fixture.href;
  if (fixture.startsWith('file:')) return fixture;
  if (!isAbsolute(fixture)) throw new TypeError(`fixture must be a URL or an absolute path, got ${fixture}`);
  return pathToFileURL(fixture).href;
}

/**
 * Starts a pool of `peer` running the export `name` of `fixture`.
 *
 * @example
 * const pool = await createPeerPool('piscina', { fixture: new URL('../../fixtures/x.mjs', import.meta.url), name: 'square' });
 * await pool.run(3); // 9
 * await pool.destroy();
 */
export async function createPeerPool(peer: PeerName, options: PeerPoolOptions): Promise<PeerPool> {
  const url = toFileUrl(options.fixture);
  const name = options.name ?? 'default';
  const threads = options.threads ?? availableParallelism();
  switch (peer) {
    case 'piscina':
      return piscinaPool(url, name, threads);
    case 'tinypool':
      return tinypoolPool(url, name, threads);
    case 'workerpool':
      return workerpoolPool(url, name, threads);
    case 'threads.js':
      return threadsPool(url, name, threads);
    case 'raw':
      return rawPool(url, name, threads);
  }
}

function piscinaPool(url: string, name: string, threads: number): PeerPool {
  const pool = new Piscina({ filename: url, name, minThreads: threads, maxThreads: threads });
  return {
    peer: 'piscina',
    threads,
    run: (arg) => pool.run(arg) as Promise<unknown>,
    destroy: () => pool.destroy(),
  };
}

function tinypoolPool(url: string, name: string, threads: number): PeerPool {
  const pool = new Tinypool({ filename: url, name, minThreads: threads, maxThreads: threads });
  return {
    peer: 'tinypool',
    threads,
    run: (arg) => pool.run(arg) as Promise<unknown>,
    destroy: () => pool.destroy(),
  };
}

function workerpoolPool(url: string, name: string, threads: number): PeerPool {
  const pool = workerpool.pool(fileURLToPath(new URL('peer-workerpool.mjs', fixturesDir)), {
    workerType: 'thread',
    minWorkers: threads,
    maxWorkers: threads,
    workerThreadOpts: { workerData: { url, name } },
  });
  return {
    peer: 'workerpool',
    threads,
    run: (arg) => pool.exec('run', [arg]),
    destroy: async () => {
      await pool.terminate(true);
    },
  };
}

async function threadsPool(url: string, name: string, threads: number): Promise<PeerPool> {
  // threads.js resolves a worker path against the file of its caller (this
  // one) and mangles absolute paths, so it gets a path relative to here.
  const here = dirname(fileURLToPath(import.meta.url));
  const script = relative(here, fileURLToPath(new URL('peer-threads.mjs', fixturesDir)));
  type Call = (arg: unknown) => Promise<unknown>;
  const spawned: Promise<Call>[] = [];
  const pool = ThreadsPool<Call>(
    () => {
      const thread = threadsSpawn<Call>(new ThreadsWorker(script, { workerData: { url, name } }));
      spawned.push(thread);
      return thread;
    },
    { size: threads },
  );
  await Promise.all(spawned);
  return {
    peer: 'threads.js',
    threads,
    run: (arg) => Promise.resolve(pool.queue((call) => call(arg))),
    destroy: () => pool.terminate(true),
  };
}

interface Pending {
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

interface RawWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  inFlight: number;
}

async function rawPool(url: string, name: string, threads: number): Promise<PeerPool> {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  const workers: RawWorker[] = [];
  const online: Promise<void>[] = [];
  for (let i = 0; i < threads; i++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL('peer-raw.mjs', fixturesDir), {
      workerData: { port: port2, url, name },
      transferList: [port2],
    });
    const entry: RawWorker = { worker, port: port1, inFlight: 0 };
    port1.on('message', (msg: [number, boolean, unknown]) => {
      entry.inFlight--;
      const p = pending.get(msg[0]);
      if (p === undefined) return;
      pending.delete(msg[0]);
      if (msg[1]) p.resolve(msg[2]);
      else p.reject(msg[2]);
    });
    worker.on('error', (err) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
    online.push(
      new Promise((resolve) =>
        worker.once('online', () => {
          resolve();
        }),
      ),
    );
    workers.push(entry);
  }
  await Promise.all(online);
  const [first] = workers;
  if (first === undefined) throw new RangeError(`threads must be at least 1, got ${String(threads)}`);
  return {
    peer: 'raw',
    threads,
    run: (arg) =>
      new Promise((resolve, reject) => {
        let target = first;
        for (const w of workers) if (w.inFlight < target.inFlight) target = w;
        const id = nextId++;
        pending.set(id, { resolve, reject });
        target.inFlight++;
        target.port.postMessage([id, arg]);
      }),
    destroy: async () => {
      for (const w of workers) w.port.close();
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
