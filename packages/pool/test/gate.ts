/**
 * A gate for async tasks, for deterministic concurrency tests: a Unix socket
 * the tasks of fixtures/concurrent-tasks.mjs connect to when they start, and
 * the answer that lets each one finish. No timing involved.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { within } from './helpers.js';

let gateCount = 0;

/** The test's side of the tasks' socket: who has started, and the answer that lets each finish. */
export class Gate {
  readonly path = join(tmpdir(), `pool-conc-${String(process.pid)}-${String(++gateCount)}.sock`);
  readonly #server: Server;
  readonly #started = new Map<number, Socket>();
  #waiters: (() => void)[] = [];

  constructor() {
    this.#server = createServer((socket) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
        if (!text.endsWith('\n')) return;
        this.#started.set(Number(text.trim()), socket);
        for (const wake of this.#waiters.splice(0)) wake();
      });
      socket.on('error', () => undefined);
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.#server.listen(this.path, resolve));
  }

  /** Ids of the tasks that have started, in order of arrival. */
  get started(): number[] {
    return [...this.#started.keys()];
  }

  /** Resolves once `n` tasks have started (bounded). */
  async arrived(n: number): Promise<void> {
    const wait = async (): Promise<void> => {
      while (this.#started.size < n) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    };
    await within(wait(), 30_000, `${String(n)} tasks starting`);
  }

  /** Lets task `id` finish. */
  open(id: number): void {
    const socket = this.#started.get(id);
    if (socket === undefined) throw new Error(`task ${String(id)} has not started`);
    socket.write('go\n');
  }

  close(): void {
    for (const socket of this.#started.values()) socket.destroy();
    this.#server.close();
  }
}
