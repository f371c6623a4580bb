/**
 * The pool worker's bundle (scripts/bundle-worker.mjs, decision 0012) holds
 * its own copies of the child side of the process runtime and of
 * internal/task-slot.js. Those copies share their state through globalThis
 * with the files a task's own imports load, so a thread worker, which starts
 * on this bundle, loads before its task module only the bundle and core's
 * internal entry and chunk.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runNode } from '@multiprocessing/test-utils';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe("the pool worker's bundle", () => {
  it('imports only built-ins and the internal entry of @multiprocessing/core', () => {
    const code = readFileSync(`${dist}entry/pool-worker.bundle.js`, 'utf8');
    const specifiers = new Set([...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]));
    expect(specifiers).toContain('@multiprocessing/core/internal');
    for (const specifier of specifiers)
      expect(specifier).toMatch(/^(node:.+|@multiprocessing\/core\/internal)$/);
  });

  it("shares the running task's state with every other copy of task-slot.js in the thread", async () => {
    // Two copies of task-slot.js (a query string makes a second module
    // instance): what the worker's copy records, the public currentTask()'s
    // copy sees, in one task at a time and with task contexts.
    const slot = JSON.stringify(pathToFileURL(`${dist}internal/task-slot.js`).href);
    const script = `
      Promise.all([import(${slot} + '?copy=a'), import(${slot} + '?copy=b')]).then(([a, b]) => {
        const seen = {};
        try { b.runningTask(); seen.idle = 'no error'; } catch (err) { seen.idle = err.name; }
        a.enterTask(5, false);
        const handle = b.runningTask();
        seen.aborted = a.abortRunning(5, new Error('stop')) && handle.signal.aborted && b.runningAbort() !== undefined;
        a.leaveTask(5);
        try { b.runningTask(); seen.after = 'no error'; } catch (err) { seen.after = err.name; }
        a.useTaskContexts();
        seen.contexts = a.runInTask(6, false, () => b.runningTask() !== undefined && b.runningAbort() === undefined);
        console.log(JSON.stringify(seen));
      });
    `;
    const r = await runNode(['-e', script], { cwd: repoRoot, timeoutMs: 20_000 });
    expect(r).toMatchObject({ code: 0 });
    expect(JSON.parse(r.stdout.trim())).toEqual({
      idle: 'StateError',
      aborted: true,
      after: 'StateError',
      contexts: true,
    });
  });
});
