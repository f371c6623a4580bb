// The cross-process suite through the built CLI: a quick run, its rows and its
// Python baseline (uses the build).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const script = fileURLToPath(new URL('../../python/cross_process.py', import.meta.url));

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 140_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr });
    });
  });
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
  String.raw`cross-process: Pipe round trip between 2 child processes, recvSync \['process'\] \| µs`,
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

  it('a quick run prints its five rows, each with our figure and, with python3, its ratio to Python', async () => {
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
    ]);
    if (hasPython()) {
      // The runner reads every target: each row with one is judged, met or not.
      for (const row of rows) if (row.target !== undefined) expect(typeof row.met).toBe('boolean');
    }
  }, 150_000);

  it("the Python baseline prints one JSON object with the suite's four figures", async () => {
    if (!hasPython()) return;
    const r = await run('python3', [script, '--quick']);
    expect(r.code).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(Object.keys(last).sort()).toEqual(['down', 'locked', 'pipe_rtt_us', 'up']);
    for (const value of Object.values(last)) expect(value).toBeGreaterThan(0);
  }, 60_000);
});
