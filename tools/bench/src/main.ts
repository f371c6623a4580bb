/**
 * The bench runner: `node dist/main.js [suite ids…] [--quick] [--update-readme]`.
 * Runs every suite in `dist/suites/` (or the ones named), prints the machine
 * and one table of all rows on stdout, and writes `results/latest.{md,json}`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatMachine, machineInfo } from './harness/machine.js';
import { updateReadme } from './harness/readme.js';
import { bestPeer, ratio, renderTable, targetMet, type SuiteOutcome } from './harness/report.js';
import { discoverSuites, runSuite, selectSuites } from './harness/runner.js';

const USAGE = `usage: node dist/main.js [suite ids…] [options]
  --quick            short runs (smoke test, CI)
  --update-readme    put the table between <!-- bench:start --> and <!-- bench:end --> in the root README.md
  --in-process       run suites in this process instead of one child process each (debugging)
  --timeout=<s>      kill a suite that runs longer (default 240, or 120 with --quick)
  --strict           exit 1 when a suite failed
  --out=<dir>        write latest.md and latest.json there (default tools/bench/results)
  --list             print the suite ids in run order and exit`;

interface Args {
  ids: string[];
  quick: boolean;
  updateReadme: boolean;
  isolate: boolean;
  timeoutMs: number | undefined;
  strict: boolean;
  list: boolean;
  out: URL;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    ids: [],
    quick: false,
    updateReadme: false,
    isolate: true,
    timeoutMs: undefined,
    strict: false,
    list: false,
    out: new URL('../results/', import.meta.url),
  };
  for (const arg of argv) {
    if (arg === '--quick') args.quick = true;
    else if (arg === '--update-readme') args.updateReadme = true;
    else if (arg === '--in-process') args.isolate = false;
    else if (arg === '--strict') args.strict = true;
    else if (arg === '--list') args.list = true;
    else if (arg.startsWith('--timeout=')) {
      const s = Number(arg.slice('--timeout='.length));
      if (!(s > 0)) throw new RangeError(`--timeout must be a positive number of seconds, got ${arg}`);
      args.timeoutMs = s * 1000;
    } else if (arg.startsWith('--out=')) {
      args.out = pathToFileURL(resolve(arg.slice('--out='.length)) + sep);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) throw new RangeError(`unknown option ${arg}\n${USAGE}`);
    else args.ids.push(arg);
  }
  return args;
}

function toJson(outcomes: readonly SuiteOutcome[]): unknown[] {
  return outcomes.map((o) => ({
    ...o,
    rows: o.rows.map((row) => {
      const best = bestPeer(row);
      return {
        ...row,
        bestPeer: best?.name ?? null,
        vsBestPeer: ratio(row.ours, best?.value, row.higherIsBetter),
        vsPython: ratio(row.ours, row.python, row.higherIsBetter),
        met: targetMet(row) ?? null,
      };
    }),
  }));
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const all = await discoverSuites(fileURLToPath(new URL('./suites/', import.meta.url)));
  if (args.list) {
    console.log(all.map((s) => s.id).join('\n'));
    return 0;
  }
  let selected;
  try {
    selected = selectSuites(all, args.ids);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const machine = await machineInfo();
  const machineLine = `${formatMachine(machine)} · ${args.quick ? 'quick' : 'full'} run`;
  console.log(`Machine: ${machineLine}\n`);

  const timeoutMs = args.timeoutMs ?? (args.quick ? 120_000 : 240_000);
  const outcomes: SuiteOutcome[] = [];
  for (const file of selected) {
    console.error(`[bench] ${file.id} …`);
    const result = await runSuite(file, { quick: args.quick, timeoutMs, isolate: args.isolate });
    console.error(
      `[bench] ${file.id}: ${result.error === undefined ? `${String(result.rows.length)} rows` : `failed (${result.error})`} in ${result.seconds.toFixed(1)} s`,
    );
    outcomes.push(result);
  }

  const table = renderTable(outcomes);
  console.log(table);
  console.log(
    '\nRatios: > 1× means ours is better (throughput ours/peer, latency peer/ours). Each cell is a median of ≥ 3 repetitions.',
  );

  const resultsDir = args.out;
  await mkdir(resultsDir, { recursive: true });
  const md = `# Benchmark results\n\nMachine: ${machineLine}\n\n${table}\n`;
  await writeFile(new URL('latest.md', resultsDir), md);
  await writeFile(
    new URL('latest.json', resultsDir),
    `${JSON.stringify({ machine, quick: args.quick, suites: toJson(outcomes) }, null, 2)}\n`,
  );

  if (args.updateReadme) {
    const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
    const block = `Measured ${machineLine} (\`npm run bench\`; how to read it: [tools/bench/README.md](tools/bench/README.md)).\n\n${table}`;
    try {
      if (await updateReadme(readme, block)) console.error(`[bench] updated ${readme}`);
      else
        console.error(
          `[bench] ${readme} has no <!-- bench:start --> … <!-- bench:end --> block; left unchanged`,
        );
    } catch (err) {
      console.error(`[bench] could not update ${readme}: ${(err as Error).message}`);
    }
  }
  const failed = outcomes.filter((o) => o.error !== undefined);
  return args.strict && failed.length > 0 ? 1 : 0;
}

// Exit explicitly: a suite run in-process may leave handles behind.
process.exit(await main());
