/**
 * Recipes: folders `docs/recipes/<id>/` whose programs the tests run and whose
 * pages show what they printed. Each folder holds a `recipe.json`:
 *
 * ```json
 * {
 *   "title": "Getting started",
 *   "order": 1,
 *   "runs": [{ "file": "main.ts" }],
 *   "placeholders": [{ "name": "ms", "pattern": "\\d+(?= ms)" }]
 * }
 * ```
 *
 * - `runs` (default `[{ "file": "main.ts" }]`): the programs, run in order
 *   from the recipe's folder: `.ts` with tsx, `.js`/`.mjs` with node, `.py`
 *   with python3. Each run's stdout is kept in `output` (default `output.txt`
 *   for `main.ts`, `<file without extension>.output.txt` for the others).
 * - `placeholders`: what varies between runs (times, pids). `pattern` is a
 *   regular expression for the varying text itself, on one line; the output
 *   file shows `{name}` in its place.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const recipesDir = fileURLToPath(new URL('../recipes/', import.meta.url));

export interface Placeholder {
  readonly name: string;
  readonly pattern: string;
}

export interface RecipeRun {
  /** The program, relative to the recipe's folder. */
  readonly file: string;
  /** Where its stdout is kept, relative to the recipe's folder. */
  readonly output: string;
  readonly args: readonly string[];
  /** Added to the environment of the run. */
  readonly env: Readonly<Record<string, string>>;
  /** The exit code the program ends with. @default 0 */
  readonly exitCode: number;
}

export interface Recipe {
  readonly id: string;
  readonly dir: string;
  readonly title: string;
  readonly order: number;
  readonly runs: readonly RecipeRun[];
  readonly placeholders: readonly Placeholder[];
  readonly timeoutSeconds: number;
}

interface RecipeJson {
  title?: unknown;
  order?: unknown;
  runs?: { file?: unknown; output?: unknown; args?: unknown; env?: unknown; exitCode?: unknown }[];
  placeholders?: { name?: unknown; pattern?: unknown }[];
  timeoutSeconds?: unknown;
}

function fail(id: string, what: string): never {
  throw new Error(`recipe ${id}: ${what}`);
}

function defaultOutput(file: string): string {
  return file === 'main.ts' ? 'output.txt' : `${file.replace(/\.[^./]+$/, '')}.output.txt`;
}

/** Reads and checks one recipe's `recipe.json`. */
export function loadRecipe(id: string): Recipe {
  const dir = join(recipesDir, id);
  const spec = JSON.parse(readFileSync(join(dir, 'recipe.json'), 'utf8')) as RecipeJson;
  if (typeof spec.title !== 'string' || spec.title === '') fail(id, 'title must be a non-empty string');
  if (typeof spec.order !== 'number') fail(id, 'order must be a number');
  const runs = (spec.runs ?? [{ file: 'main.ts' }]).map((r): RecipeRun => {
    if (typeof r.file !== 'string') fail(id, 'each run needs a file');
    if (!existsSync(join(dir, r.file))) fail(id, `${r.file} does not exist`);
    return {
      file: r.file,
      output: typeof r.output === 'string' ? r.output : defaultOutput(r.file),
      args: Array.isArray(r.args) ? r.args.map(String) : [],
      env: (r.env ?? {}) as Record<string, string>,
      exitCode: typeof r.exitCode === 'number' ? r.exitCode : 0,
    };
  });
  const placeholders = (spec.placeholders ?? []).map((p): Placeholder => {
    if (typeof p.name !== 'string' || !/^\w+$/.test(p.name)) fail(id, 'a placeholder name must be a word');
    if (typeof p.pattern !== 'string') fail(id, `placeholder ${p.name} needs a pattern`);
    new RegExp(p.pattern, 'g'); // throws on a bad pattern
    return { name: p.name, pattern: p.pattern };
  });
  const timeoutSeconds = typeof spec.timeoutSeconds === 'number' ? spec.timeoutSeconds : 60;
  return { id, dir, title: spec.title, order: spec.order, runs, placeholders, timeoutSeconds };
}

/** Every recipe, in sidebar order. */
export function listRecipes(): Recipe[] {
  return readdirSync(recipesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(recipesDir, d.name, 'recipe.json')))
    .map((d) => loadRecipe(d.name))
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}
