/** Runs examples through the built runner and returns each one's output. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface ExampleRun {
  /** Exit code of the runner. */
  code: number | null;
  /** stdout of each example, keyed by id (the text after its `== id ==` line). */
  sections: Map<string, string>;
  stdout: string;
  stderr: string;
}

/** Runs `ids` (in one runner process) with a time bound. */
export function runExamples(ids: string[], timeoutMs = 120_000): Promise<ExampleRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [main, ...ids],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0' } },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(new Error(`examples runner failed: ${error.message}`, { cause: error }));
          return;
        }
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
        resolve({ code: error === null ? 0 : (error.code as number), sections, stdout, stderr });
      },
    );
  });
}
