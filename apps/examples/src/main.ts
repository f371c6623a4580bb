/**
 * Runs every example in order, each under a line `== <id> ==`.
 * `node dist/main.js [id …]` runs only the named ones. Exits 1 if an example
 * fails or is missing.
 */
import { exampleIds } from './ids.js';

interface ExampleModule {
  main(): Promise<void>;
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((id) => !(exampleIds as readonly string[]).includes(id));
if (unknown.length > 0) {
  console.error(`unknown example id(s): ${unknown.join(', ')}`);
  process.exit(2);
}
const ids = wanted.length > 0 ? wanted : exampleIds;
let failed = 0;
for (const id of ids) {
  console.log(`== ${id} ==`);
  try {
    const mod = (await import(`./examples/${id}.js`)) as ExampleModule;
    await mod.main();
  } catch (err) {
    failed++;
    console.error(`example ${id} failed:`, err);
  }
}
if (failed > 0) {
  console.error(`${String(failed)} example(s) failed`);
  process.exitCode = 1;
}
