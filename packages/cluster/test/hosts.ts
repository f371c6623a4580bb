// Worker hosts for the cluster tests: each a `multiprocessing-worker`
// process on the built package, ended by the test that started it (and by
// stopAllHosts() after each test, whatever happened).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { until, within } from '@multiprocessing/test-utils';
import type { Cluster } from '../src/index.js';

const bin = fileURLToPath(new URL('../dist/bin/multiprocessing-worker.js', import.meta.url));
/** The folder the fixtures' hosts resolve modules against. */
export const fixturesRoot = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface HostProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Its output so far. */
  readonly output: () => string;
  /** Resolves with its exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

const started = new Set<HostProcess>();

/** Starts a host on `url` for cluster `name`; resolves once it serves. */
export async function startHost(
  url: string,
  name: string,
  options: { processes?: number; root?: string; args?: readonly string[] } = {},
): Promise<HostProcess> {
  const args = [
    bin,
    '--connection',
    url,
    '--name',
    name,
    '--processes',
    String(options.processes ?? 1),
    '--root',
    options.root ?? fixturesRoot,
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const host: HostProcess = { child, pid: child.pid ?? 0, output: () => out, exited };
  started.add(host);
  void exited.then(() => started.delete(host));
  await within(
    new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (out.includes('serves cluster')) resolve();
      };
      child.stdout.on('data', check);
      void exited.then((code) => {
        reject(new Error(`host exited with ${String(code)} before serving:\n${out}`));
      });
      check();
    }),
    15_000,
    `host for '${name}' to start`,
  );
  return host;
}

/** SIGKILLs every host still running and waits for them to exit. */
export async function stopAllHosts(): Promise<void> {
  const hosts = [...started];
  for (const host of hosts) host.child.kill('SIGKILL');
  await within(Promise.all(hosts.map((h) => h.exited)), 10_000, 'the hosts to exit');
}

/** Resolves once `cluster` sees `processes` worker processes (it reads the hosts once a second). */
export async function waitForProcesses(cluster: Cluster, processes: number): Promise<void> {
  await until(
    () => cluster.processes === processes,
    `the cluster to see ${String(processes)} processes`,
    10_000,
    50,
  );
}
