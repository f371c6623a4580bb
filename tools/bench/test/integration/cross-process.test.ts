// The cross-process suite through the built CLI: a quick run, its rows and its
// Python baseline (uses the build).
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const script = fileURLToPath(new URL('../../python/cross_process.py', import.meta.url));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function start(file: string, args: string[]): { pid: number; done: Promise<Ran> } {
  let pid = 0;
  const done = new Promise<Ran>((resolve) => {
    pid =
      execFile(file, args, { timeout: 140_000 }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr });
      }).pid ?? 0;
  });
  return { pid, done };
}

function run(file: string, args: string[]): Promise<Ran> {
  return start(file, args).done;
}

/** Every process below `root` now, from /proc (Linux). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the 2nd field after the parenthesised command.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // It ended meanwhile.
    }
  }
  const found: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    for (const pid of children.get(stack.pop() ?? 0) ?? []) {
      found.push(pid);
      stack.push(pid);
    }
  }
  return found;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `check()` is true, polling every 50 ms; fails after `ms`. */
async function until(check: () => boolean, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const number = String.raw`[\d,.]+`;
const figures = [
  String.raw`cross-process: Queue child → parent, small ints \['process'\] \| k msgs/s`,
  String.raw`cross-process: Queue parent → child, small ints, getSync\(\) \['process'\] \| k msgs/s`,
  String.raw`cross-process: Queue parent → child, small ints, await get\(\) \['process'\] \| k msgs/s`,
  String.raw`cross-process: Value \+= 1 under v\.getLock\(\), 2 child processes \['process'\] \| k ops/s`,
  String.raw`cross-process: Pipe round trip between 2 child processes, recvSync\(\) \['process'\] \| µs`,
  String.raw`cross-process: Pipe round trip between 2 child processes, await recv\(\) \['process'\] \| µs`,
];

describe('the cross-process suite', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'bench-cross-process-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('is listed after the fixed suites', async () => {
    const r = await run(process.execPath, [main, '--list']);
    const ids = r.stdout.trim().split('\n');
    expect(ids).toContain('cross-process');
    expect(ids.indexOf('cross-process')).toBeGreaterThan(ids.indexOf('manager'));
  });

  it('a quick run prints its six rows, each with our figure and, with python3, its ratio to Python', async () => {
    const r = await run(process.execPath, [main, 'cross-process', '--quick', '--strict', `--out=${out}`]);
    expect(r.stderr).not.toContain('failed');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '| figure | unit | ours | Python | vs best peer | vs Python | target | met? | note |',
    );
    const python = hasPython() ? String.raw`${number} \| — \| ${number}×` : String.raw`— \| — \| —`;
    for (const figure of figures) {
      expect(r.stdout).toMatch(new RegExp(String.raw`\| ${figure} \| ${number} \| ${python} \|`));
    }
    const json = JSON.parse(await readFile(join(out, 'latest.json'), 'utf8'));
    const rows = json.suites[0].rows as { figure: string; target?: string; met: boolean | null }[];
    expect(rows.map((row) => row.target ?? null)).toEqual([
      '≥ Python',
      '≥0.5× Python',
      '≥0.5× Python',
      null,
      '≤ Python * 2',
      '≤ Python * 2',
    ]);
    if (hasPython()) {
      // The runner reads every target: each row with one is judged, met or not.
      for (const row of rows) if (row.target !== undefined) expect(typeof row.met).toBe('boolean');
    }
  }, 150_000);

  it('ends its child processes when the runner kills it on a timeout', async () => {
    if (process.platform !== 'linux') return;
    // 3 s: the suite starts its first children at once and a quick run takes several times that.
    const cli = start(process.execPath, [main, 'cross-process', '--quick', '--timeout=3', `--out=${out}`]);
    const seen = new Set<number>();
    let children = 0;
    let finished = false;
    void cli.done.then(() => {
      finished = true;
    });
    while (!finished) {
      for (const pid of descendants(cli.pid)) {
        if (seen.has(pid)) continue;
        seen.add(pid);
        if (cmdline(pid).includes('bootstrap.js')) children++;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const r = await cli.done;
    expect(r.stdout).toContain('error: timed out after 3 s');
    // The kill came while the suite's children ran (Process children run the process package's bootstrap).
    expect(children).toBeGreaterThan(0);
    await until(() => [...seen].every((pid) => !alive(pid)), 'the children to end', 30_000);
  }, 90_000);

  it("the Python baseline prints one JSON object with the suite's four figures", async () => {
    if (!hasPython()) return;
    const r = await run('python3', [script, '--quick']);
    expect(r.code).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(Object.keys(last).sort()).toEqual(['down', 'locked', 'pipe_rtt_us', 'up']);
    for (const value of Object.values(last)) expect(value).toBeGreaterThan(0);
  }, 60_000);
});
