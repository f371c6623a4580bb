/**
 * Where a broker listens: a private directory in the temp dir, named after
 * the host and the owner's pid, removed when the owner exits. An owner
 * killed by a signal cannot remove it, so each new broker first removes the
 * directories of this host's owners that no longer run.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { processRunning } from './running.js';

/** `mp-broker-<host hash>-`: the host part keeps a shared temp dir's other machines' (or containers') directories out of the sweep. */
function prefix(): string {
  const host = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
  return `mp-broker-${host}-`;
}

/** Removes the broker directories of this host whose owner no longer runs. */
function sweep(start: string): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(start)) continue;
    const pid = Number(name.slice(start.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processRunning(pid)) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

/** A new directory for this process's broker socket, after sweeping stale ones. */
export function makeBrokerDir(): string {
  const start = prefix();
  sweep(start);
  return mkdtempSync(join(tmpdir(), `${start}${String(process.pid)}-`));
}
