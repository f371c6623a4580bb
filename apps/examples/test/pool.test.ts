/**
 * The pool examples of the Python documentation: each runs in the built runner and
 * prints what the "shows" column says. Timings and worker names are not
 * asserted.
 */
import { runExamples, type ExampleRun } from './run-example.js';

const ids = [
  'scientists-map',
  'scientists-testbed',
  'pool-oversubscribed',
  'lambda-gotcha',
  'remote-error',
  'generic-pool-map',
  'square',
  'power-starmap',
  'process-number',
  'process-vs-pool',
  'cpu-count',
  'pool-pids',
  'exec-func',
  'starmap-product',
  'serial-vs-parallel',
  'executor',
];

const SCIENTISTS =
  "({'name': 'Ada Lovelace', 'age': 202}, {'name': 'Emmy Noether', 'age': 135}, {'name': 'Marie Curie', 'age': 150}, " +
  "{'name': 'Tu Youyou', 'age': 87}, {'name': 'Ada Yonath', 'age': 78}, {'name': 'Vera Rubin', 'age': 89}, {'name': 'Sally Ride', 'age': 66})";

describe('examples: pool', () => {
  let run: ExampleRun;
  const out = (id: string): string => run.sections.get(id) ?? '';
  const lines = (id: string): string[] => out(id).trim().split('\n');

  beforeAll(async () => {
    run = await runExamples(ids, 150_000);
  }, 160_000);

  it('runs every pool example and exits 0', () => {
    expect(run.code).toBe(0);
    for (const id of ids) expect(run.sections.has(id)).toBe(true);
  });

  it('scientists-map prints the ages in input order', () => {
    expect(out('scientists-map').trim()).toBe(SCIENTISTS);
  });

  it('scientists-testbed prints both times and equal results', () => {
    expect(out('scientists-testbed')).toMatch(/^Serial: time to complete: \d+\.\d+ s$/m);
    expect(out('scientists-testbed')).toMatch(/^Parallel on \d+ workers: time to complete: \d+\.\d+ s$/m);
    expect(out('scientists-testbed')).toContain('Results equal: True');
  });

  it('pool-oversubscribed runs 7 workers', () => {
    expect(out('pool-oversubscribed')).toMatch(/^7 workers on \d+ cores$/m);
    expect(out('pool-oversubscribed')).toContain(SCIENTISTS);
  });

  it('lambda-gotcha shows the PicklingError naming the variable and the fix', () => {
    const text = out('lambda-gotcha');
    expect(text).toMatch(/^PicklingError: .*'thisYear'.*moduleRef/m);
    expect(text).toContain("With a module function: ({'name': 'Ada Lovelace', 'age': 202}");
  });

  it("remote-error rejects in the caller with the worker's message and stack", () => {
    const text = out('remote-error');
    expect(text).toMatch(/^TypeError: Cannot read properties of undefined/m);
    expect(text).toContain('Stack from the worker:');
    expect(text).toMatch(/at transform \(.*tasks\/pool\.js/);
  });

  it('generic-pool-map prints results in order and the elapsed time', () => {
    expect(lines('generic-pool-map')[0]).toMatch(/^\[\d+(, \d+){15}\]$/);
    expect(out('generic-pool-map')).toMatch(/^Execution time: \d+\.\d+ seconds$/m);
  });

  it('square, power-starmap and process-number print the tutorial results', () => {
    expect(out('square').trim()).toBe('[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]');
    expect(out('power-starmap').trim()).toBe('[8, 27, 64]');
    expect(lines('process-number')).toEqual([
      'Number: 10, Fib: 55, Sqrt: 3.16',
      'Number: 15, Fib: 610, Sqrt: 3.87',
      'Number: 20, Fib: 6765, Sqrt: 4.47',
      'Number: 25, Fib: 6765, Sqrt: 5.00',
      'Number: 30, Fib: 6765, Sqrt: 5.48',
      'Number: 35, Fib: 6765, Sqrt: 5.92',
      'Number: 40, Fib: 6765, Sqrt: 6.32',
    ]);
  });

  it('process-vs-pool prints the Process result and the Pool results', () => {
    const text = out('process-vs-pool');
    expect(text).toMatch(/^Process-\d+: 7 squared is 49$/m);
    expect(text).toContain('Process exit code: 0');
    for (const n of [1, 2, 3])
      expect(text).toMatch(new RegExp(`^PoolWorker-\\d+: ${String(n)} squared is ${String(n * n)}$`, 'm'));
    expect(text).toContain('Pool results: [1, 4, 9]');
  });

  it('cpu-count prints the core count and uses a pool of that size', () => {
    const count = /^CPU count: (\d+)$/m.exec(out('cpu-count'))?.[1];
    expect(count).toBeDefined();
    expect(out('cpu-count')).toContain(`Pool of ${String(count)} workers: [1, 4, 9, 16]`);
  });

  it('pool-pids prints 12 lines from reused workers, then the result', () => {
    const all = lines('pool-pids');
    const work = all.filter((l) => l.startsWith('Process '));
    expect(work).toHaveLength(12);
    const numbers = work.map((l) => Number(/square of (\d+)$/.exec(l)?.[1])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const workers = new Set(work.map((l) => /^Process (\S+) /.exec(l)?.[1]));
    expect(workers.size).toBeGreaterThanOrEqual(1);
    expect(workers.size).toBeLessThanOrEqual(4);
    expect(all.at(-1)).toBe('Result is: [0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121]');
  });

  it('exec-func and starmap-product print the products', () => {
    for (const id of ['exec-func', 'starmap-product']) {
      const all = lines(id);
      expect(
        all.filter((l) => /^Process \S+ calculating product of \((1, 2, 3|3, 4, 5)\)$/.test(l)),
      ).toHaveLength(2);
      expect(all.at(-1)).toBe('Result is: [6, 60]');
    }
  });

  it('serial-vs-parallel prints both times and equal results, without a progress bar off a TTY', () => {
    const text = out('serial-vs-parallel');
    expect(text).toMatch(/^Parallel Processing Time Taken: \d+\.\d+ s$/m);
    expect(text).toMatch(/^Sequential Processing Time Taken: \d+\.\d+ s$/m);
    expect(text).toContain('Calls: 100000 each way; results equal: True; sum of the cubes: 249500250000');
    expect(text).not.toContain('[');
  });

  it('executor shows submit, map and shutdown', () => {
    expect(lines('executor')).toEqual([
      'submitted; done yet? False',
      'result: 144',
      'done now? True',
      'map: [1, 4, 9, 16, 25]',
      'after shutdown: [8, 16, 32]',
      'StateError: cannot schedule new futures after shutdown',
    ]);
  });
});
