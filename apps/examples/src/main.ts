/**
 * Runs every example in order, each under a line `== <id> ==`.
 * `node dist/main.js [--start-method=<method>] [id …]` runs only the named ones, and with
 * `--start-method` (`thread`, the default, or `process`) calls `setStartMethod()` first, so every
 * `Process` and pool the examples make starts its children that way; a first line
 * `start method: <method>` says which is in effect. Exits 1 if an example fails, 2 on an unknown
 * id or start method.
 */
import { getStartMethod, setStartMethod } from '@multiprocessing/process';
import type { StartMethodName } from '@multiprocessing/process';
import { exampleIds } from './ids.js';

interface ExampleModule {
  main(): Promise<void>;
}

const optionPrefix = '--start-method=';
const args = process.argv.slice(2);
const methodArgs = args.filter((a) => a.startsWith(optionPrefix));
const wanted = args.filter((a) => !a.startsWith(optionPrefix));
const method = methodArgs.at(-1)?.slice(optionPrefix.length);
if (method !== undefined) {
  try {
    setStartMethod(method as StartMethodName);
  } catch (err) {
    console.error(`--start-method: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
  console.log(`start method: ${getStartMethod()}`);
}
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
