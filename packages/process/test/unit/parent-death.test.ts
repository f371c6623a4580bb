import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { setprivOnPath } from '../../src/internal/parent-death.js';

// Stand-ins for setpriv: shell scripts that print a help text.
const root = mkdtempSync(join(tmpdir(), 'mp-setpriv-'));

function fakeSetpriv(name: string, help: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  const file = join(dir, 'setpriv');
  writeFileSync(file, `#!/bin/sh\necho '${help}'\n`);
  chmodSync(file, 0o755);
  return dir;
}

const withSignal = fakeSetpriv('util-linux', ' --pdeathsig keep|clear|<signame>');
const without = fakeSetpriv('busybox', ' --nnp, --no-new-privs');
const empty = join(root, 'empty');
mkdirSync(empty);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const onPosix = process.platform === 'win32' ? describe.skip : describe;

onPosix('setprivOnPath', () => {
  it('finds the first setpriv on PATH that knows --pdeathsig', () => {
    expect(setprivOnPath([empty, without, withSignal].join(delimiter))).toBe(join(withSignal, 'setpriv'));
  });

  it('is null when no setpriv knows --pdeathsig', () => {
    expect(setprivOnPath([empty, without].join(delimiter))).toBeNull();
    expect(setprivOnPath('')).toBeNull();
  });

  it('ignores relative PATH entries', () => {
    expect(setprivOnPath(relative(process.cwd(), withSignal))).toBeNull();
  });
});
