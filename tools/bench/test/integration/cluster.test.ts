// The cluster suite's rig on a real redis-server, and the suite through the
// built CLI: with redis-server, and without it (uses the build).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleRef } from '@multiprocessing/pool';
import { alive, describeWithRedis, until, within } from '@multiprocessing/test-utils';
import { startClusterRig } from '../../dist/harness/cluster-rig.js';

const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const tasks = moduleRef<{ square(x: number): number }>(
  new URL('../../fixtures/cluster-tasks.mjs', import.meta.url),
);

function cli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { timeout: 140_000, env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr });
    });
  });
}

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** The pids of processes running one of the cluster suite's fixtures (Linux). */
function fixtureProcesses(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((arg) => arg.startsWith(join(fixtures, 'cluster-')))) pids.push(Number(entry));
    } catch {
      // It ended meanwhile.
    }
  }
  return pids;
}

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'bench-cluster-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describeWithRedis('the cluster suite', () => {
  it('starts a redis-server, 2 hosts and the BullMQ peer, and close() ends every one of them', async () => {
    const rig = await within(
      startClusterRig({ hosts: 2, processes: 1, peerConcurrency: 4 }),
      60_000,
      'the rig to start',
    );
    let pids: number[] = [];
    try {
      pids = [rig.redisPid, ...rig.hostPids, ...rig.peer.pids];
      expect(pids).toHaveLength(5);
      expect(pids.every(alive)).toBe(true);
      expect(rig.processes).toBe(2);
      expect(rig.cluster.processes).toBe(2);
      expect(await within(rig.pool.map(tasks.square, [1, 2, 3]), 30_000, 'a map')).toEqual([1, 4, 9]);
      expect(await within(rig.peer.one(3), 30_000, 'a BullMQ job')).toBe(9);
      expect(await rig.admin.ping()).toBe('PONG');
    } finally {
      await within(rig.close(), 60_000, 'the rig to close');
    }
    expect(pids.filter(alive)).toEqual([]);
  }, 120_000);

  it('is listed, and a quick run prints its three rows with figures for ours and raw BullMQ', async () => {
    const list = await cli(['--list']);
    expect(list.stdout.trim().split('\n')).toContain('cluster');
    const r = await cli(['cluster', '--quick', `--out=${out}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| figure | unit | ours | raw BullMQ | Python |');
    const number = String.raw`[\d,.]+`;
    for (const figure of [
      String.raw`cluster: tiny tasks x => x \* x, one apply\(\) each, 2000 in flight \| k tasks/s`,
      String.raw`cluster: map of 100 k tiny items, default chunksize \| M items/s`,
      String.raw`cluster: one task in flight, apply\(\) round trip \(latency\) \| ms`,
    ]) {
      expect(r.stdout).toMatch(new RegExp(`\\| ${figure} \\| ${number} \\| ${number} \\| — \\| ${number}×`));
    }
    expect(r.stderr).toContain('[cluster] what Redis spends');
  }, 150_000);

  it('ends its hosts, workers and redis-server when the runner kills it on a timeout', async () => {
    if (process.platform !== 'linux') return;
    // 2 s: a quick run of the suite takes several times that (hosts, peers, three measurements), so
    // the kill lands while its fixtures run or start.
    const r = await cli(['cluster', '--quick', '--timeout=2', `--out=${out}`]);
    expect(r.stdout).toContain('error: timed out after 2 s');
    // The keeper of the redis-server ends only once the server has.
    await until(() => fixtureProcesses().length === 0, 'the fixtures to end', 30_000, 100);
  }, 90_000);
});

describe('the cluster suite without redis-server', () => {
  it('says so in its note, and the run goes on', async () => {
    const r = await cli(['cluster', '--quick', `--out=${out}`], {
      ...process.env,
      REDIS_SERVER_PATH: '/nonexistent/redis-server',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /\| cluster: tiny tasks .* \| k tasks\/s \| — \| — \| .* \| not measured: redis-server was not found \(REDIS_SERVER_PATH=\/nonexistent\/redis-server is not an executable file\)/,
    );
  }, 60_000);
});
