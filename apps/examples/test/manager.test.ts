import { runExamples } from './run-example.js';

describe('examples: manager', () => {
  it('manager-list, manager-dict and remote-manager print what Python prints', async () => {
    const run = await runExamples(['manager-list', 'manager-dict', 'remote-manager']);
    expect(run.code).toBe(0);

    const list = (run.sections.get('manager-list') ?? '').trim();
    const m = /^List: \[(.*)\]$/.exec(list);
    expect(m).not.toBeNull();
    const words = (m?.[1] ?? '').split(', ').sort();
    expect(words).toEqual(["'comes'", "'great'", "'great'", "'power'", "'responsibility'", "'with'"]);

    expect((run.sections.get('manager-dict') ?? '').trim().split('\n')).toEqual([
      "{1: '1', '2': 2, 0.25: None}",
      '[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]',
    ]);

    expect((run.sections.get('remote-manager') ?? '').trim().split('\n')).toEqual([
      'Serving on 127.0.0.1 with an authkey',
      "Messages: ['hello from another process']",
      'Wrong key: AuthenticationError: digest sent was rejected',
    ]);
  });
});
