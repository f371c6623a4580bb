import { runExamples } from './run-example.js';

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
