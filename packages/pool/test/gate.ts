/**
 * A Unix-socket gate for deterministic pool tests: a task made by
 * `gateTasks.gated(path, label)` connects and names itself, then waits until
 * the test releases it. The test sees which tasks have started, in order.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moduleRef } from '@multiprocessing/pool';
import type * as GateTasks from './fixtures/gate-tasks.mjs';
import { within } from './helpers.js';

/** The tasks of fixtures/gate-tasks.mjs. */
export const gateTasks = moduleRef<typeof GateTasks>(new URL('./fixtures/gate-tasks.mjs', import.meta.url));

let counter = 0;

/** A gate: tasks that reached it, in arrival order, and a way to let them go. */
export interface Gate {
  readonly path: string;
  /** Labels of the tasks that arrived, in arrival order. */
  readonly arrivals: string[];
  /** Resolves once `n` tasks have arrived (bounded). */
  arrived(n: number): Promise<void>;
  /** Lets the task with `label` finish. */
  release(label: string | number): void;
  close(): Promise<void>;
}

/** Opens a gate on a fresh socket path. */
export async function openGate(): Promise<Gate> {
  const path = join(tmpdir(), `mp-gate-${String(process.pid)}-${String(++counter)}.sock`);
  const sockets = new Map<string, Socket>();
  const released = new Set<string>();
  const arrivals: string[] = [];
  let notify: () => void = () => undefined;
  const server: Server = createServer((socket) => {
    let buffered = '';
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      buffered += data.toString();
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      const label = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      sockets.set(label, socket);
      arrivals.push(label);
      if (released.has(label)) socket.write('x');
      notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    path,
    arrivals,
    arrived(n) {
      return within(
        new Promise<void>((resolve) => {
          const check = (): void => {
            if (arrivals.length >= n) resolve();
          };
          const previous = notify;
          notify = () => {
            previous();
            check();
          };
          check();
        }),
        30_000,
        `${String(n)} tasks at the gate (arrived: ${arrivals.join(', ')})`,
      );
    },
    release(label) {
      const key = String(label);
      released.add(key);
      sockets.get(key)?.write('x');
    },
    close() {
      for (const socket of sockets.values()) socket.destroy();
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
