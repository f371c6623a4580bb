// setExecutable() (Python's set_executable): the program 'process' children
// run. A wrapper script that marks its children's environment shows which
// program ran. freezeSupport() and allowConnectionPickling() do nothing.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allowConnectionPickling,
  freezeSupport,
  getContext,
  Queue,
  setExecutable,
} from '@multiprocessing/all';
import { within } from '@multiprocessing/test-utils';
import type * as T from '../fixtures/executable/targets.mjs';
import { endTracked, fixture, track } from './children.js';

const ref = fixture<typeof T>('executable/targets.mjs');
afterEach(endTracked);

let dir: string;
let wrapper: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mp-executable-'));
  wrapper = join(dir, 'node-wrapper');
  writeFileSync(wrapper, `#!/bin/sh\nMP_WRAPPED=yes exec '${process.execPath}' "$@"\n`);
  chmodSync(wrapper, 0o755);
});
afterAll(() => {
  setExecutable(null);
  rmSync(dir, { recursive: true, force: true });
});

async function wrappedIn(method: 'thread' | 'process'): Promise<string | null> {
  const q = new Queue<string | null>();
  const p = track(new (getContext(method).Process)({ target: ref('putEnv'), args: [q, 'MP_WRAPPED'] }));
  p.start();
  const seen = await q.get({ timeout: 30 });
  await within(p.join(), 30_000, 'join');
  expect(p.exitcode).toBe(0);
  return seen;
}

describe('setExecutable()', () => {
  it("makes 'process' children run the given program, until it is set back with null", async () => {
    setExecutable(wrapper);
    await expect(wrappedIn('process')).resolves.toBe('yes');
    // Threads run in this Node.
    await expect(wrappedIn('thread')).resolves.toBeNull();
    setExecutable(null);
    await expect(wrappedIn('process')).resolves.toBeNull();
  });

  it('refuses what is not an executable file, and keeps the program it had', async () => {
    expect(() => {
      setExecutable('');
    }).toThrow(new TypeError("path must be a non-empty string or null, got ''"));
    expect(() => {
      setExecutable(5 as never);
    }).toThrow(TypeError);
    expect(() => {
      setExecutable(join(dir, 'missing'));
    }).toThrow(RangeError);
    await expect(wrappedIn('process')).resolves.toBeNull();
  });
});

describe('freezeSupport() and allowConnectionPickling()', () => {
  it('do nothing, as in Python outside a frozen Windows program', () => {
    expect(() => {
      freezeSupport();
      allowConnectionPickling();
    }).not.toThrow();
  });
});
