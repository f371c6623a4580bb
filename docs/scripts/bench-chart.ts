/**
 * The benchmark chart: an SVG drawn at build time from the latest
 * `tools/bench` results, one group of bars per headline row, each bar one
 * contender (ours, the Node pools and other peers, Python). A bar's length is
 * its speed relative to the fastest contender of its row, so that "longer is
 * better" holds for rates and for times alike; its label is the measured
 * figure in the row's unit.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BenchRow {
  figure: string;
  unit: string;
  higherIsBetter: boolean;
  ours: number;
  peers?: Record<string, number | null>;
  python?: number | null;
}

export interface BenchResults {
  machine: { date: string; cores: number; cpu: string; node: string; python?: string };
  suites: { id: string; title: string; rows: BenchRow[] }[];
}

/** The rows the chart shows, by their figure's name in the results. */
export const headlineRows = [
  'pool: tiny tasks, one apply() each, many in flight',
  'pool: one task in flight (latency)',
  'pool: map of 100 k tiny items, default chunksize',
  'pool: CPU-bound fib(30) × 32 on 2 workers',
  'pool: start-up, new Pool(2) to the first result',
  'queue: 1 → 1, small ints, worker → worker',
  'pipe: round trip, worker ↔ worker (recvSync)',
  'value-lock: Lock acquire+release, uncontended (acquireSync)',
  'manager: dict get round trip, 1 client, sequential',
] as const;

export const resultsFile = fileURLToPath(new URL('../../tools/bench/results/latest.json', import.meta.url));
export const chartFile = fileURLToPath(new URL('../public/generated/bench-headline.svg', import.meta.url));

const width = 860;
const labelWidth = 170;
const barHeight = 16;
const gap = 4;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function formatNumber(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return n.toFixed(1);
  return n.toPrecision(3);
}

interface Bar {
  name: string;
  value: number;
  kind: 'ours' | 'peer' | 'python';
}

function barsOf(row: BenchRow): Bar[] {
  const bars: Bar[] = [{ name: '@multiprocessing', value: row.ours, kind: 'ours' }];
  for (const [name, value] of Object.entries(row.peers ?? {})) {
    if (typeof value === 'number' && value > 0) bars.push({ name, value, kind: 'peer' });
  }
  if (typeof row.python === 'number' && row.python > 0)
    bars.push({ name: 'Python', value: row.python, kind: 'python' });
  return bars;
}

const colours = { ours: '#3451b2', peer: '#8e96aa', python: '#d4a72c' } as const;

/** The chart for `results` as SVG text. Throws when a headline row is missing from them. */
export function benchChartSvg(results: BenchResults): string {
  const rows = headlineRows.map((figure) => {
    const row = results.suites.flatMap((s) => s.rows).find((r) => r.figure === figure);
    if (row === undefined) throw new Error(`bench chart: no row '${figure}' in the results`);
    return row;
  });
  const parts: string[] = [];
  let y = 28;
  parts.push(
    `<text x="0" y="16" class="title">Speed relative to the fastest in each row (longer is better)</text>`,
  );
  for (const row of rows) {
    const bars = barsOf(row);
    const speeds = bars.map((b) => (row.higherIsBetter ? b.value : 1 / b.value));
    const best = Math.max(...speeds);
    y += 18;
    const direction = row.higherIsBetter ? 'higher is better' : 'lower is better';
    parts.push(
      `<text x="0" y="${y}" class="row">${escapeXml(`${row.figure} (${row.unit}, ${direction})`)}</text>`,
    );
    y += 6;
    bars.forEach((bar, i) => {
      const length = Math.max(2, ((width - labelWidth - 110) * (speeds[i] ?? 0)) / best);
      parts.push(
        `<text x="${labelWidth - 8}" y="${y + 12}" class="name" text-anchor="end">${escapeXml(bar.name)}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${length.toFixed(1)}" height="${barHeight}" rx="2" fill="${colours[bar.kind]}"/>`,
        `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 12}" class="value">${escapeXml(formatNumber(bar.value))} ${escapeXml(row.unit)}</text>`,
      );
      y += barHeight + gap;
    });
    y += 8;
  }
  const m = results.machine;
  y += 10;
  parts.push(
    `<text x="0" y="${y}" class="note">${escapeXml(`Measured ${m.date.slice(0, 10)} on ${m.cores} cores (${m.cpu}), Node ${m.node}, Python ${m.python ?? '?'}`)}</text>`,
  );
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Benchmark chart">`,
    '<style>text{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;fill:#3c3c43}',
    '.title{font-size:15px;font-weight:600}.row{font-size:13px;font-weight:600}',
    '.name,.value{font-size:12px}.note{font-size:11px;fill:#67676c}</style>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** Writes the chart for the latest results where the site serves it from. */
export function writeBenchChart(): string {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchResults;
  mkdirSync(new URL('../public/generated/', import.meta.url), { recursive: true });
  writeFileSync(chartFile, benchChartSvg(results));
  return chartFile;
}
