import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';

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
  await new Promise<void>((resolve) => server.listen(path, resolve));
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
      return new Promise((resolve) => {
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      });
    },
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  seconds?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onStdout?: (text: string) => void;
}

/** Runs `node ...args` to its end (killed after `seconds`), collecting its output. */
export function runNode(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return runCommand(process.execPath, args, options);
}

/** Runs `command ...args` to its end (SIGKILLed and rejected after `seconds`), collecting its output. */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const seconds = options.seconds ?? 30;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      options.onStdout?.(stdout);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not end within ${String(seconds)} s\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, seconds * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
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
