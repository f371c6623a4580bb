import { runExamples, runExamplesUnder } from './run-example.js';

// Past the runner's own bound (120 s), which kills it and says so on stderr.
const testMs = 130_000;

describe('examples: the runner', () => {
  it(
    '--start-method=process sets the start method before the examples run',
    async () => {
      const run = await runExamplesUnder('process', ['cpu-count']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe('start method: process');
      expect(run.sections.has('cpu-count')).toBe(true);
    },
    testMs,
  );

  it(
    '--start-method=spawn means process',
    async () => {
      const run = await runExamples(['--start-method=spawn', 'cpu-count']);
      expect(run.code).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe('start method: process');
    },
    testMs,
  );

  it(
    'an unknown start method exits 2 naming the option, before any example',
    async () => {
      const run = await runExamples(['--start-method=fork', 'cpu-count']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^--start-method: .*'fork' is not supported/);
      expect(run.sections.size).toBe(0);
    },
    testMs,
  );
});
