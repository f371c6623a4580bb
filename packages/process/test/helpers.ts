import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import type { Process } from '@multiprocessing/process';
import { withinSeconds } from '@multiprocessing/test-utils';

export { within, withinSeconds } from '@multiprocessing/test-utils';

/** A Unix socket that children report to (fixtures/tasks.mjs `report`). */
export interface Inbox {
  readonly path: string;
  /** The next reported value; rejects after `seconds`. */
  next(seconds?: number): Promise<unknown>;
  close(): Promise<void>;
}

export async function openInbox(): Promise<Inbox> {
  const dir = mkdtempSync(join(tmpdir(), 'mp-process-'));
  const path = join(dir, 'inbox.sock');
  const queue: unknown[] = [];
  const waiters: ((value: unknown) => void)[] = [];
  const server: Server = createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      const value = deserialize(Buffer.concat(chunks));
      const w = waiters.shift();
      if (w) w(value);
      else queue.push(value);
    });
  });
  await withinSeconds(
    new Promise<void>((resolve) => server.listen(path, resolve)),
    10,
    'the inbox listening',
  );
  return {
    path,
    next(seconds = 30) {
      if (queue.length > 0) return Promise.resolve(queue.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`nothing reported within ${String(seconds)} s`));
        }, seconds * 1000);
        waiters.push((value) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
    },
    close() {
      // Waits for every child's connection to end: a child left connected would hang it.
      const closed = new Promise<void>((resolve) => {
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      });
      return withinSeconds(closed, 10, 'closing the inbox');
    },
  };
}

/** `p.join()`, failing with a message naming `p` if it has not ended within `seconds`. */
export function joinWithin(p: Process, seconds = 30): Promise<void> {
  return withinSeconds(p.join(), seconds, `${p.name}.join()`);
}

/** `p.exited`, failing with a message naming `p` if it has not ended within `seconds`. */
export function exitedWithin(p: Process, seconds = 30): Promise<number> {
  return withinSeconds(p.exited, seconds, `${p.name}.exited`);
}

/** True while a process with this pid exists. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie (ended, not yet reaped by whoever adopted it) is not alive.
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return true;
  }
}

/** Resolves when `pid` is gone; rejects after `seconds` (polls: an OS process gives no event). */
export async function waitForPidGone(pid: number, seconds = 10): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (pidAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`pid ${String(pid)} still alive after ${String(seconds)} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
