import { runExamplesUnder, startMethods } from './run-example.js';

// Past the runner's own bound (120 s), which kills it and says so on stderr.
const testMs = 130_000;

describe.each(startMethods)('examples: queue, children started by %s', (method) => {
  it(
    'queue-evens prints the even numbers of range(100)',
    async () => {
      const run = await runExamplesUnder(method, ['queue-evens']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const evens = Array.from({ length: 50 }, (_, i) => 2 * i).join(', ');
      expect((run.sections.get('queue-evens') ?? '').trim()).toBe(`Queue: [${evens}]`);
    },
    testMs,
  );

  it(
    'pipe talks both ways, carries bytes and ends with EOF',
    async () => {
      const run = await runExamplesUnder(method, ['pipe']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect((run.sections.get('pipe') ?? '').trim().split('\n')).toEqual([
        'parent got: hello from the child',
        "parent got: {'question': 3, 'answer': 9}",
        "parent got: {'question': 4, 'answer': 16}",
        'parent got bytes: raw bytes, too',
        'child closed its end: EOFError',
      ]);
    },
    testMs,
  );

  it(
    'joinable-queue joins after every task is done',
    async () => {
      const run = await runExamplesUnder(method, ['joinable-queue']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const squares = Array.from({ length: 10 }, (_, i) => `(${i + 1}, ${(i + 1) ** 2})`).join(', ');
      expect((run.sections.get('joinable-queue') ?? '').trim().split('\n')).toEqual([
        'all tasks done; results waiting: 10',
        `squares: [${squares}]`,
        'workers exited: [0, 0, 0]',
      ]);
    },
    testMs,
  );
});
