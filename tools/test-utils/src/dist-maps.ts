/**
 * The files of a bundled dist/ folder, and their source maps: every .js file
 * either maps back to the package's TypeScript sources, or has no map because
 * it only re-exports what a chunk holds (such a map would have no sources).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** The .js files under `dist` (a folder path), relative to it with `/` separators, sorted. */
export function distJsFiles(dist: string): string[] {
  return (readdirSync(dist, { recursive: true }) as string[])
    .map((file) => file.split('\\').join('/'))
    .filter((file) => file.endsWith('.js'))
    .sort();
}

/** The statements of an ES module that only re-exports: imports and `export {…}` / `export * from`. */
const REEXPORT =
  /import\s*(?:\{[^}]*\}\s*from\s*)?["'][^"']+["'];?|export\s*(?:\*|\{[^}]*\})\s*(?:from\s*["'][^"']+["'])?;?/g;

/**
 * Problems with the maps of `files` (paths under `dist`, which ends in a
 * slash), as sentences; empty when every file is fine.
 */
export function distMapProblems(dist: string, files: readonly string[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const js = readFileSync(`${dist}${file}`, 'utf8');
    if (!existsSync(`${dist}${file}.map`)) {
      const rest = js
        .replace(/^\s*\/\/.*$/gm, '')
        .replace(REEXPORT, '')
        .trim();
      if (rest !== '') problems.push(`${file} has code but no source map`);
      if (js.includes('sourceMappingURL')) problems.push(`${file} names a source map that is not there`);
      continue;
    }
    const map = JSON.parse(readFileSync(`${dist}${file}.map`, 'utf8')) as { sources?: unknown };
    const sources = Array.isArray(map.sources) ? (map.sources as unknown[]) : [];
    if (sources.length === 0) problems.push(`${file}.map has no sources`);
    for (const source of sources) {
      if (typeof source !== 'string' || !/^(\.\.\/)+src\/.+\.ts$/.test(source)) {
        problems.push(`${file}.map has a source outside src/: ${String(source)}`);
      }
    }
  }
  return problems;
}
