/**
 * `npm run docs:update-outputs [id…]`: runs the recipes (all, or the ids
 * given) and rewrites each kept output from what the run printed. The tests
 * never do this: a changed output fails them until someone runs this on purpose.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listRecipes, runProgram, templateOf } from './recipes.js';

const only = process.argv.slice(2);
let failed = 0;
for (const recipe of listRecipes()) {
  if (only.length > 0 && !only.includes(recipe.id)) continue;
  for (const run of recipe.runs) {
    const result = await runProgram(recipe, run);
    if (result.code !== run.exitCode) {
      failed++;
      console.error(
        `${recipe.id}/${run.file}: exit ${String(result.code)}, expected ${run.exitCode}\n${result.stderr}`,
      );
      continue;
    }
    writeFileSync(join(recipe.dir, run.output), templateOf(result.stdout, recipe.placeholders));
    console.log(`${recipe.id}/${run.output} written`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
