/**
 * The machine a run was measured on, printed above the table: numbers from
 * a 2-core VM under load do not read like numbers from a quiet workstation.
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';

/** Where and when the figures were measured. */
export interface MachineInfo {
  readonly date: string;
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** `python3 --version`, or `not found`. */
  readonly python: string;
  /** 1-minute load average when the run started. */
  readonly load: number;
}

function pythonVersion(): Promise<string> {
  return new Promise((resolve) => {
    execFile('python3', ['--version'], { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error !== null) {
        resolve('not found');
        return;
      }
      resolve((stdout || stderr).trim().replace(/^Python\s+/, ''));
    });
  });
}

/** Collects the machine's description. */
export async function machineInfo(): Promise<MachineInfo> {
  const cpuList = cpus();
  return {
    date: new Date().toISOString(),
    cores: cpuList.length,
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    python: await pythonVersion(),
    load: loadavg()[0] ?? 0,
  };
}

/** One Markdown line describing the machine. */
export function formatMachine(m: MachineInfo): string {
  return (
    `${m.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cores} cores (${m.cpu}) · ${m.memoryGiB} GiB · ` +
    `${m.os} · Node ${m.node} · Python ${m.python} · load ${m.load.toFixed(2)} at start`
  );
}
