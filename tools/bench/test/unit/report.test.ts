import {
  bestPeer,
  formatNumber,
  peerColumns,
  ratio,
  renderTable,
  targetMet,
  type SuiteOutcome,
} from '../../src/harness/report.js';
import type { BenchRow } from '../../src/harness/types.js';

const tput = (over: Partial<BenchRow> = {}): BenchRow => ({
  figure: 'pool: tiny tasks',
  unit: 'k tasks/s',
  higherIsBetter: true,
  ours: 100,
  peers: { piscina: 20, tinypool: 25 },
  python: 40,
  ...over,
});
const latency = (over: Partial<BenchRow> = {}): BenchRow => ({
  figure: 'pool: one task in flight',
  unit: 'µs',
  higherIsBetter: false,
  ours: 50,
  peers: { piscina: 60, tinypool: 80 },
  python: 236,
  ...over,
});

describe('ratio', () => {
  it('is ours/other for throughputs and other/ours for latencies', () => {
    expect(ratio(100, 25, true)).toBe(4);
    expect(ratio(50, 100, false)).toBe(2);
  });

  it('is NaN when a side is missing or not positive', () => {
    expect(ratio(100, undefined, true)).toBeNaN();
    expect(ratio(Number.NaN, 3, true)).toBeNaN();
    expect(ratio(5, 0, false)).toBeNaN();
  });
});

describe('bestPeer', () => {
  it('picks the highest throughput or the lowest latency', () => {
    expect(bestPeer(tput())).toEqual({ name: 'tinypool', value: 25 });
    expect(bestPeer(latency())).toEqual({ name: 'piscina', value: 60 });
  });

  it('skips missing values and gives undefined without peers', () => {
    expect(bestPeer(tput({ peers: { piscina: Number.NaN, tinypool: 3 } }))).toEqual({
      name: 'tinypool',
      value: 3,
    });
    expect(bestPeer(tput({ peers: undefined }))).toBeUndefined();
  });
});

describe('targetMet', () => {
  it('reads "≥N× peer" and "≥N× Python" as ratios in the better direction', () => {
    expect(targetMet(tput({ target: '≥5× piscina' }))).toBe(true);
    expect(targetMet(tput({ target: '≥5× tinypool' }))).toBe(false);
    expect(targetMet(tput({ target: '≥5× piscina and ≥5× Python' }))).toBe(false);
    expect(targetMet(tput({ target: '≥2× Python' }))).toBe(true);
    expect(targetMet(latency({ target: '>= 1.2x piscina' }))).toBe(true);
  });

  it('reads "≤ Python / 3" and "≤ raw worker + 5 ms" literally', () => {
    expect(targetMet(latency({ target: '≤ Python / 3' }))).toBe(true);
    expect(targetMet(latency({ ours: 100, target: '≤ Python / 3' }))).toBe(false);
    const start = latency({ unit: 'ms', ours: 28, peers: { raw: 24 } });
    expect(targetMet({ ...start, target: '≤ raw worker + 5 ms' })).toBe(true);
    expect(targetMet({ ...start, ours: 30, target: '≤ raw worker + 5 ms' })).toBe(false);
  });

  it('reads absolute bounds in the row unit and bare references', () => {
    expect(targetMet(tput({ target: '≥400 k msgs/s' }))).toBe(false);
    expect(targetMet(tput({ target: '≥ 50' }))).toBe(true);
    expect(targetMet(latency({ target: "sequential round trip ≤ Python's" }))).toBe(true);
    expect(
      targetMet(tput({ target: '≥0.95× raw `worker_threads`', peers: { 'raw worker_threads': 104 } })),
    ).toBe(true);
  });

  it('reads a bare reference joined to a ratio against a dotted peer name', () => {
    const codec = tput({ ours: 85, python: 78, peers: { 'v8.serialize': 123 } });
    expect(targetMet({ ...codec, target: '≥ Python and ≥0.5× v8.serialize' })).toBe(true);
    expect(targetMet({ ...codec, ours: 60, target: '≥ Python and ≥0.5× v8.serialize' })).toBe(false);
    expect(
      targetMet({ ...codec, peers: { 'v8.serialize': 180 }, target: '≥ Python and ≥0.5× v8.serialize' }),
    ).toBe(false);
  });

  it('matches "best peer"', () => {
    expect(targetMet(tput({ target: '≥4× best peer' }))).toBe(true);
    expect(targetMet(tput({ target: '≥5× best peer' }))).toBe(false);
  });

  it('is undefined without a target, for unreadable ones, or when the reference has no value', () => {
    expect(targetMet(tput())).toBeUndefined();
    expect(targetMet(tput({ target: 'as fast as possible' }))).toBeUndefined();
    expect(targetMet(tput({ target: '≥2× workerpool' }))).toBeUndefined();
    expect(targetMet(tput({ python: undefined, target: '≥2× Python' }))).toBeUndefined();
  });

  it('lets the suite decide with met', () => {
    expect(targetMet(tput({ target: 'as fast as possible', met: false }))).toBe(false);
  });
});

describe('formatNumber', () => {
  it('keeps 3 significant digits below 1000 and groups integers above', () => {
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(71.64)).toBe('71.6');
    expect(formatNumber(21034.6)).toBe('21,035');
    expect(formatNumber(undefined)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('—');
  });
});

describe('renderTable', () => {
  const outcomes: SuiteOutcome[] = [
    { id: 'codec', title: 'codec', rows: [tput({ peers: { JSON: 50 } })], seconds: 1 },
    {
      id: 'pool',
      title: 'the pool',
      rows: [tput({ target: '≥5× piscina' }), latency({ target: '≤ Python / 3' })],
      seconds: 1,
    },
    { id: 'manager', title: 'the manager', rows: [], error: 'TypeError: boom | bang', seconds: 1 },
  ];

  it('puts the published pools first among peer columns', () => {
    expect(peerColumns(outcomes)).toEqual(['piscina', 'tinypool', 'JSON']);
  });

  it('prints one header, a heading row per suite, ratios oriented so > 1 is better, and met?', () => {
    const lines = renderTable(outcomes).split('\n');
    expect(lines[0]).toBe(
      '| figure | unit | ours | piscina | tinypool | JSON | Python | vs best peer | vs Python | target | met? | note |',
    );
    expect(lines.filter((l) => l.startsWith('| **'))).toHaveLength(3);
    const poolRow = lines.find((l) => l.includes('≥5× piscina'));
    expect(poolRow).toContain('| 4.00× (tinypool) | 2.50× |');
    expect(poolRow).toContain('| ✅ |');
    const latencyRow = lines.find((l) => l.includes('≤ Python / 3'));
    expect(latencyRow).toContain('| 1.20× (piscina) | 4.72× |');
  });

  it('shows a failed suite’s error in the note, with pipes escaped', () => {
    const failed = renderTable(outcomes)
      .split('\n')
      .find((l) => l.startsWith('| **manager**'));
    expect(failed).toMatch(/error: TypeError: boom \\\| bang \|$/);
  });
});
