import { runExamples, runExamplesUnder, startMethods } from './run-example.js';

describe('examples: process', () => {
  it('square-and-root prints the squares and the rounded square roots', async () => {
    const run = await runExamples(['square-and-root']);
    expect(run.code).toBe(0);
    const lines = (run.sections.get('square-and-root') ?? '').trim().split('\n').sort();
    expect(lines).toEqual([
      'Square Roots: [1.0, 1.41, 1.73, 2.0, 2.24, 2.45, 2.65, 2.83, 3.0, 3.16]',
      'Squares: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]',
    ]);
  });
});

describe.each(startMethods)('examples: process, children started by %s', (method) => {
  it('process-subclass runs the run() of each Process subclass in its child, with its fields', async () => {
    const run = await runExamplesUnder(method, ['process-subclass']);
    expect(run.code).toBe(0);
    expect(run.sections.get('process-subclass')).toBe(
      [
        'Squarer-1 squared [1, 2, 3]: [1, 4, 9]',
        'Squarer-2 squared [4, 5, 6]: [16, 25, 36]',
        'exit codes: [0, 0]',
        '',
      ].join('\n'),
    );
  });
});
