// Checks what `npm pack` would ship for each published package: LICENSE (the
// same text as the root one), README.md, package.json and dist/ only, and
// every source map resolvable, i.e. each `sources` entry is a shipped file or
// has its text inlined in `sourcesContent`. Run as
// `node tools/release/check-pack.mjs [package dir …]` (default: every project
// of nx.json's release group); publish.mjs runs it before `npm publish`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Package folders of the release group in nx.json, in its order.
 * @returns {string[]}
 */
export function releasedPackageDirs() {
  const nx = JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8'));
  return nx.release.projects.map((/** @type {string} */ name) =>
    join(root, 'packages', name.replace('@multiprocessing/', '')),
  );
}

/** The files `npm pack` would put in the tarball, relative to the package folder, and the tarball size. */
export function packList(dir) {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [info] = JSON.parse(out);
  return {
    files: info.files.map((f) => f.path),
    size: info.size,
    unpackedSize: info.unpackedSize,
  };
}

/** Problems with one source map's `sources`, given the set of shipped paths. */
export function mapProblems(mapPath, map, shipped) {
  const problems = [];
  const sources = Array.isArray(map.sources) ? map.sources : [];
  if (sources.length === 0) problems.push(`${mapPath}: no sources`);
  sources.forEach((source, i) => {
    const inlined = typeof map.sourcesContent?.[i] === 'string';
    const target = posix.normalize(posix.join(posix.dirname(mapPath), map.sourceRoot ?? '', source));
    if (!inlined && !shipped.has(target)) {
      problems.push(`${mapPath}: source ${source} is neither shipped (${target}) nor inlined`);
    }
  });
  return problems;
}

/** Every problem of one package folder's tarball, as sentences (empty when it is fine). */
export function checkPackage(dir) {
  const problems = [];
  const { files } = packList(dir);
  const shipped = new Set(files);
  for (const required of ['LICENSE', 'README.md', 'package.json']) {
    if (!shipped.has(required)) problems.push(`${dir}: ${required} is not in the tarball`);
  }
  for (const file of files) {
    if (!['LICENSE', 'README.md', 'package.json'].includes(file) && !file.startsWith('dist/')) {
      problems.push(`${dir}: ${file} should not be in the tarball`);
    }
  }
  if (!files.some((f) => f.startsWith('dist/'))) problems.push(`${dir}: no dist/ (build first)`);
  if (shipped.has('LICENSE')) {
    const license = readFileSync(join(dir, 'LICENSE'), 'utf8');
    if (license !== readFileSync(join(root, 'LICENSE'), 'utf8')) {
      problems.push(`${dir}: LICENSE differs from the root LICENSE`);
    }
  }
  for (const file of files.filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    problems.push(...mapProblems(file, map, shipped).map((p) => `${dir}: ${p}`));
  }
  return problems;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.length > 2 ? process.argv.slice(2).map((d) => resolve(d)) : releasedPackageDirs();
  let failed = false;
  for (const dir of dirs) {
    const problems = checkPackage(dir);
    const { size, unpackedSize, files } = packList(dir);
    const name = dir.split('/').filter(Boolean).pop();
    console.log(
      `${name}: ${files.length} files, ${size} B packed, ${unpackedSize} B unpacked${problems.length ? '' : ', ok'}`,
    );
    for (const p of problems) console.error(`  ${p}`);
    failed ||= problems.length > 0;
  }
  process.exitCode = failed ? 1 : 0;
}
