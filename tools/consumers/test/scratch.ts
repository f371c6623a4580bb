/**
 * A scratch project outside the workspace that installs the packages from
 * the tarballs `npm pack` makes, as a user installs them from the registry.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, type RunResult } from '@multiprocessing/test-utils';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const appSource = fileURLToPath(new URL('../app/', import.meta.url));

/** What a command printed and how it ended. */
export type Run = RunResult;

// Colour codes, which some tools print whatever the environment says
// (FORCE_COLOR, which CI sets, wins over NO_COLOR, and Node warns when both are set).
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Runs `file` with `args` in `cwd`; kills it after `seconds`. Never rejects. Output without colour codes. */
export async function run(file: string, args: readonly string[], cwd: string, seconds = 120): Promise<Run> {
  const result = await runCommand(file, args, { cwd, timeoutMs: seconds * 1000 });
  return { ...result, stdout: result.stdout.replace(ansi, ''), stderr: result.stderr.replace(ansi, '') };
}

/** A tool the workspace installed (`node_modules/.bin/<name>`); throws when it is missing. */
export function workspaceBin(name: string): string {
  const path = join(repoRoot, 'node_modules', '.bin', name);
  if (!existsSync(path)) {
    throw new Error(`${name} is not installed in the workspace (${path}); run npm ci at the repository root`);
  }
  return path;
}

/** The publishable packages of the workspace: folder and name. */
export function publishedPackages(): { dir: string; name: string }[] {
  const root = join(repoRoot, 'packages');
  return readdirSync(root)
    .map((folder) => join(root, folder))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({
      dir,
      pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; private?: boolean },
    }))
    .filter(({ pkg }) => pkg.private !== true)
    .map(({ dir, pkg }) => ({ dir, name: pkg.name }));
}

/** A scratch project with every package installed from its tarball. */
export interface Scratch {
  readonly dir: string;
  /** Tarball path by package name. */
  readonly tarballs: ReadonlyMap<string, string>;
  remove(): void;
}

async function checked(file: string, args: readonly string[], cwd: string, seconds: number): Promise<Run> {
  const result = await run(file, args, cwd, seconds);
  if (result.code !== 0) {
    throw new Error(
      `${file} ${args.join(' ')} failed (${String(result.code ?? result.signal)}):\n${result.stderr}${result.stdout}`,
    );
  }
  return result;
}

/** Packs every package, then installs the tarballs into a new project in the temp folder. */
export async function makeScratch(): Promise<Scratch> {
  const dir = mkdtempSync(join(tmpdir(), 'mp-consumers-'));
  const packs = join(dir, 'tarballs');
  const app = join(dir, 'app');
  mkdirSync(packs);
  cpSync(appSource, app, { recursive: true });
  const tarballs = new Map<string, string>();
  for (const { dir: pkgDir, name } of publishedPackages()) {
    const { stdout } = await checked('npm', ['pack', '--json', '--pack-destination', packs], pkgDir, 120);
    const [info] = JSON.parse(stdout) as { filename: string }[];
    if (info === undefined) throw new Error(`npm pack printed no file for ${name}`);
    tarballs.set(name, join(packs, info.filename));
  }
  const typesNode = (
    JSON.parse(readFileSync(join(repoRoot, 'node_modules/@types/node/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const dependencies: Record<string, string> = { '@types/node': typesNode };
  for (const [name, file] of tarballs) dependencies[name] = `file:${file}`;
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer-app', private: true, type: 'module', dependencies }, null, 2),
  );
  await checked(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    app,
    300,
  );
  return {
    dir: app,
    tarballs,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
