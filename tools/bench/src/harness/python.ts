/**
 * Runs a Python baseline script (`tools/bench/python/<name>.py`) and returns
 * the JSON object it prints on its last stdout line.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const pythonDir = fileURLToPath(new URL('../../python/', import.meta.url));

/** Runs `python3 <script> …args`; resolves to the parsed JSON, or undefined if python3 is missing. */
export function runPython(
  script: string,
  args: string[] = [],
  timeoutMs = 300_000,
): Promise<Record<string, number> | undefined> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [pythonDir + script, ...args],
      { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            resolve(undefined);
            return;
          }
          reject(new Error(`python3 ${script} failed: ${stderr || error.message}`));
          return;
        }
        const last = stdout.trim().split('\n').pop() ?? '{}';
        resolve(JSON.parse(last) as Record<string, number>);
      },
    );
  });
}
