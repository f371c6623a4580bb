// Runs the built CLI (dist/main.js) in a child process.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { timeout: 140_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr });
    });
  });
}

describe('node dist/main.js', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'bench-out-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('lists the built suites in run order', async () => {
    const r = await cli(['--list']);
    expect(r.code).toBe(0);
    const ids = r.stdout.trim().split('\n');
    expect(ids[0]).toBe('codec');
    expect(ids).toContain('substrate');
  });

  it('exits 2 naming an unknown suite or option', async () => {
    const unknown = await cli(['no-such-suite']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown suite no-such-suite; available: codec');
    const option = await cli(['--fast']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('unknown option --fast');
  });

  it('prints the machine and the table, and writes latest.md and latest.json', async () => {
    const r = await cli(['substrate', '--quick', `--out=${out}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Machine: .*\d+ cores .*Node v\d+\.\d+\.\d+ · Python .* quick run\n/);
    expect(r.stdout).toContain(
      '| figure | unit | ours | piscina | tinypool | workerpool | threads.js | Python | vs best peer | vs Python | target | met? | note |',
    );
    expect(r.stdout).toMatch(
      /\| substrate: tiny tasks x => x \* x, \d+ workers, all in flight \| k tasks\/s \| [\d,.]+ \|/,
    );
    const md = await readFile(join(out, 'latest.md'), 'utf8');
    expect(md).toContain('| **substrate**: ');
    const json = JSON.parse(await readFile(join(out, 'latest.json'), 'utf8'));
    expect(json.quick).toBe(true);
    expect(json.suites[0].id).toBe('substrate');
    expect(json.suites[0].rows[0]).toEqual(
      expect.objectContaining({ higherIsBetter: true, bestPeer: expect.any(String) }),
    );
  }, 150_000);
});
