/**
 * Beyond Python: `captureOutput` takes the workers' stdout and stderr and
 * hands on each line whole, prefixed with the worker's name (`true`) or to
 * a function. Every check runs after `join()`: a worker's output has all
 * arrived once it has exited.
 */
import { fileURLToPath } from 'node:url';
import { getContext } from '@multiprocessing/process';
import { moduleRef, Pool, type OutputLineInfo } from '@multiprocessing/pool';
import { runNode } from '@multiprocessing/test-utils';
import type * as ConcurrentTasks from '../fixtures/concurrent-tasks.mjs';
import { startMethods, within } from '../helpers.js';

const ctasks = moduleRef<typeof ConcurrentTasks>(
  new URL('../fixtures/concurrent-tasks.mjs', import.meta.url),
);

interface Line extends OutputLineInfo {
  readonly line: string;
}

describe.each(startMethods)('Pool captureOutput [%s]', (method) => {
  let pool: Pool | undefined;
  afterEach(async () => {
    if (pool) await within(pool.terminate(), 30_000, 'pool.terminate()');
    pool = undefined;
  });

  async function closeAndJoin(p: Pool): Promise<void> {
    p.close();
    await within(p.join(), 30_000, 'pool.join()');
  }

  it('a function receives each line with its worker and stream; a last partial line comes at exit', async () => {
    const lines: Line[] = [];
    pool = new Pool({
      processes: 1,
      context: getContext(method),
      captureOutput: (line, info) => {
        lines.push({ line, ...info });
      },
    });
    const worker = await within(pool.apply(ctasks.talk, ['a']), 30_000, 'pool.apply(ctasks.talk, …)');
    expect(worker).toMatch(/^PoolWorker-\d+$/);
    await within(pool.apply(ctasks.writeRaw, ['no newline yet']), 30_000, 'pool.apply(ctasks.writeRaw, …)');
    await closeAndJoin(pool);
    expect(lines).toEqual(
      expect.arrayContaining([
        { line: 'out a', worker, stream: 'stdout' },
        { line: 'err a', worker, stream: 'stderr' },
        { line: 'no newline yet', worker, stream: 'stdout' },
      ]),
    );
    expect(lines).toHaveLength(3);
    // Within one stream, lines keep their order.
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.line)).toEqual([
      'out a',
      'no newline yet',
    ]);
  });

  it("true writes each line to the parent's stream of the same name, prefixed with the worker's name", async () => {
    const script = fileURLToPath(new URL('../fixtures/capture-pool.mjs', import.meta.url));
    const { code, stdout, stderr } = await runNode([script, method], { timeoutMs: 30_000 });
    const worker = /^worker=(PoolWorker-\d+)$/m.exec(stdout)?.[1];
    expect(worker).toBeDefined();
    expect(stdout).toBe(`[${worker!}] out p\n[${worker!}] tail without newline\nworker=${worker!}\n`);
    expect(stderr).toBe(`[${worker!}] err p\n`);
    expect(code).toBe(0);
  });

  it("lines of two workers writing at once are never cut or mixed, even across the pipe's chunks", async () => {
    const lines: Line[] = [];
    pool = new Pool({
      processes: 2,
      context: getContext(method),
      captureOutput: (line, info) => {
        lines.push({ line, ...info });
      },
    });
    const body = (tag: string): string[] =>
      // About 80 kB each: more than one pipe buffer, so lines are cut between chunks.
      Array.from({ length: 1500 }, (_, i) => `${tag}:${String(i)}:${'x'.repeat(i % 97)}`);
    const [w1, w2] = await within(
      Promise.all([
        pool.apply(ctasks.writeRaw, [`${body('A').join('\n')}\n`]),
        pool.apply(ctasks.writeRaw, [`${body('B').join('\n')}\n`]),
      ]),
      30_000,
      'two workers writing',
    );
    await closeAndJoin(pool);
    // Whichever worker ran each body, every line arrives whole, in the order written.
    for (const tag of ['A', 'B']) {
      const got = lines.filter((l) => l.line.startsWith(`${tag}:`));
      expect(got.map((l) => l.line)).toEqual(body(tag));
      expect(new Set(got.map((l) => l.worker)).size).toBe(1);
      expect([w1, w2]).toContain(got[0]?.worker);
    }
    expect(lines).toHaveLength(3000);
  });
});
