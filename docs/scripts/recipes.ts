/** Running recipes and comparing what they print with their kept outputs. */
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { runCommand } from '@multiprocessing/test-utils';
import type { RunResult } from '@multiprocessing/test-utils';
import type { Placeholder, Recipe, RecipeRun } from './recipe-list.js';

export { listRecipes, loadRecipe, recipesDir } from './recipe-list.js';
export type { Placeholder, Recipe, RecipeRun, RunResult };

const require = createRequire(import.meta.url);

function command(file: string): [string, string[]] {
  if (file.endsWith('.ts')) {
    const pkg = require.resolve('tsx/package.json');
    return [process.execPath, [resolve(dirname(pkg), 'dist/cli.mjs'), file]];
  }
  if (file.endsWith('.py')) return ['python3', [file]];
  return [process.execPath, [file]];
}

/** Runs one program of a recipe as a user would, killed past the recipe's time bound. */
export function runProgram(recipe: Recipe, run: RecipeRun): Promise<RunResult> {
  const [cmd, pre] = command(run.file);
  return runCommand(cmd, [...pre, ...run.args], {
    cwd: recipe.dir,
    timeoutMs: recipe.timeoutSeconds * 1000,
    env: { FORCE_COLOR: '0', PYTHONUNBUFFERED: '1', ...run.env },
  });
}

/** Output as compared: LF line ends, no trailing blanks, no trailing empty lines. */
export function normalize(text: string): string[] {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The expression one line of a kept output matches: literal text, and each `{name}` its pattern. */
export function lineMatcher(line: string, placeholders: readonly Placeholder[]): RegExp {
  const byName = new Map(placeholders.map((p) => [p.name, p.pattern]));
  let source = '';
  let last = 0;
  for (const m of line.matchAll(/\{(\w+)\}/g)) {
    const pattern = byName.get(m[1] ?? '');
    if (pattern === undefined) continue;
    source += escapeRegExp(line.slice(last, m.index)) + `(?:${pattern})`;
    last = m.index + m[0].length;
  }
  return new RegExp(`^${source}${escapeRegExp(line.slice(last))}$`);
}

/** Where a run's output differs from the kept one, or undefined when it matches. */
export function compareOutput(
  expected: string,
  actual: string,
  placeholders: readonly Placeholder[],
): string | undefined {
  const want = normalize(expected);
  const got = normalize(actual);
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    const w = want[i];
    const g = got[i];
    if (w === undefined) return `line ${i + 1}: printed an extra line\n  got:      ${g}`;
    if (g === undefined) return `line ${i + 1}: missing\n  expected: ${w}`;
    if (!lineMatcher(w, placeholders).test(g))
      return `line ${i + 1} differs\n  expected: ${w}\n  got:      ${g}`;
  }
  return undefined;
}

/** The output to keep for a run: what it printed, with each placeholder's text replaced by `{name}`. */
export function templateOf(actual: string, placeholders: readonly Placeholder[]): string {
  const lines = normalize(actual).map((line) =>
    placeholders.reduce((l, p) => l.replace(new RegExp(p.pattern, 'g'), `{${p.name}}`), line),
  );
  return `${lines.join('\n')}\n`;
}
