/**
 * Every recipe runs as a user would run it (tsx, node or python3, from its
 * folder), and prints what its page shows, placeholders aside. A changed
 * output fails here; `npm run docs:update-outputs` rewrites it on purpose.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareOutput, listRecipes, runProgram } from '../scripts/recipes.js';

const recipes = listRecipes();

test('the recipes folder holds recipes', () => {
  expect(recipes.length).toBeGreaterThan(0);
});

describe.each(recipes.map((r) => [r.id, r] as const))('recipe %s', (_id, recipe) => {
  test.each(recipe.runs.map((r) => [r.file, r] as const))(
    '%s prints its kept output',
    async (_file, run) => {
      const kept = join(recipe.dir, run.output);
      expect(existsSync(kept)).toBe(true);
      const result = await runProgram(recipe, run);
      const context = `stderr:\n${result.stderr}\nstdout:\n${result.stdout}`;
      expect({ code: result.code, context }).toEqual({ code: run.exitCode, context });
      const diff = compareOutput(readFileSync(kept, 'utf8'), result.stdout, recipe.placeholders);
      expect(diff === undefined ? 'matches' : `${diff}\n${context}`).toBe('matches');
    },
    (recipe.timeoutSeconds + 10) * 1000,
  );

  test('its page embeds its programs and outputs', () => {
    const page = readFileSync(join(recipe.dir, 'index.md'), 'utf8');
    for (const run of recipe.runs) {
      expect(page).toContain(`<<< ./${run.file}`);
      expect(page).toContain(`<<< ./${run.output}`);
    }
  });
});
