import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { makeBrokerDir } from '../../src/internal/remote/broker-dir.js';
import { within } from '../helpers.js';

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const pid = child.pid ?? 0;
  await within(new Promise((resolve) => child.once('exit', resolve)), 30_000, 'a short child exiting');
  return pid;
}

describe('the directory of a broker socket', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it("is new, named after this host and pid, and sweeps this host's directories whose owner is gone", async () => {
    const first = makeBrokerDir();
    made.push(first);
    const name = basename(first);
    expect(name).toMatch(new RegExp(`^mp-broker-[0-9a-f]{8}-${String(process.pid)}-`));
    expect(dirname(first)).toBe(tmpdir());
    const hostPart = name.slice(0, name.indexOf(`-${String(process.pid)}-`) + 1);

    const stale = join(tmpdir(), `${hostPart}${String(await deadPid())}-stale`);
    const live = join(tmpdir(), `${hostPart}${String(process.ppid)}-live`);
    const otherHost = join(tmpdir(), `mp-broker-00000000-${String(await deadPid())}-other`);
    for (const dir of [stale, live, otherHost]) {
      mkdirSync(dir);
      made.push(dir);
    }
    const second = makeBrokerDir();
    made.push(second);
    expect(second).not.toBe(first);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(otherHost)).toBe(true);
    expect(existsSync(first)).toBe(true);
    expect(readdirSync(tmpdir())).toContain(basename(second));
  });
});
