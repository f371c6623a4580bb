/** Runs examples through the built runner and returns each one's output. */
import { fileURLToPath } from 'node:url';
import type { StartMethod } from '@multiprocessing/process';
import { runNode } from '@multiprocessing/test-utils';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface ExampleRun {
  /** Exit code of the runner. */
  code: number | null;
  /** stdout of each example, keyed by id (the text after its `== id ==` line). */
  sections: Map<string, string>;
  stdout: string;
  stderr: string;
}

/**
 * Runs `ids` (in one runner process) with a time bound (SIGKILLed past it; stderr then says so),
 * with `env` added to this process's environment.
 */
export async function runExamples(
  ids: string[],
  timeoutMs = 120_000,
  env: Readonly<Record<string, string>> = {},
): Promise<ExampleRun> {
  const { code, stdout, stderr } = await runNode([main, ...ids], {
    timeoutMs,
    env: { FORCE_COLOR: '0', ...env },
  });
  const sections = new Map<string, string>();
  let current: string | undefined;
  const lines: string[] = [];
  const flush = (): void => {
    if (current !== undefined) sections.set(current, lines.join('\n'));
    lines.length = 0;
  };
  for (const line of stdout.split('\n')) {
    const m = /^== (.+) ==$/.exec(line);
    if (m) {
      flush();
      current = m[1];
    } else if (current !== undefined) {
      lines.push(line);
    }
  }
  flush();
  return { code, sections, stdout, stderr };
}

/** Both start methods, for the examples whose output must not depend on it. */
export const startMethods: readonly StartMethod[] = ['thread', 'process'];

/** Runs `ids` as {@link runExamples} does, with every child started by `startMethod`. */
export function runExamplesUnder(
  startMethod: StartMethod,
  ids: string[],
  timeoutMs = 120_000,
): Promise<ExampleRun> {
  return runExamples([`--start-method=${startMethod}`, ...ids], timeoutMs);
}
