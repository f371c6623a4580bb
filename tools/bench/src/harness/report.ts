/**
 * Turns the suites' rows into the one table: ratios against the best peer
 * and Python (oriented so that > 1 means we are better), a reading of each
 * row's target, and the Markdown text.
 */
import type { BenchRow } from './types.js';

/** What one suite produced (or why it produced nothing). */
export interface SuiteOutcome {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly BenchRow[];
  /** Set when the suite threw, crashed or timed out. */
  readonly error?: string;
  /** Wall-clock time the suite took, s. */
  readonly seconds: number;
}

/** The four published pools come first among the peer columns. */
const leadingPeers = ['piscina', 'tinypool', 'workerpool', 'threads.js'];

function usable(x: number | undefined): x is number {
  return x !== undefined && Number.isFinite(x) && x > 0;
}

/**
 * How many times better `ours` is than `other`: `ours / other` for
 * throughputs, `other / ours` for latencies. NaN when either is missing.
 */
export function ratio(ours: number, other: number | undefined, higherIsBetter: boolean): number {
  if (!usable(ours) || !usable(other)) return Number.NaN;
  return higherIsBetter ? ours / other : other / ours;
}

/** The best peer of a row (highest throughput or lowest latency), if any. */
export function bestPeer(row: BenchRow): { name: string; value: number } | undefined {
  let best: { name: string; value: number } | undefined;
  for (const [name, value] of Object.entries(row.peers ?? {})) {
    if (!usable(value)) continue;
    if (best === undefined || (row.higherIsBetter ? value > best.value : value < best.value)) {
      best = { name, value };
    }
  }
  return best;
}

function normalise(name: string): string {
  return name
    .toLowerCase()
    .replace(/[`'’]s\b/g, '')
    .replace(/[`'’]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The value a target refers to: `Python`, `best peer`, or a peer by (a prefix of) its name. */
function reference(row: BenchRow, text: string): number | undefined {
  const ref = normalise(text);
  if (ref === '') return undefined;
  if (ref === 'python' || ref.startsWith('python ')) return row.python;
  if (ref === 'best peer') return bestPeer(row)?.value;
  for (const [name, value] of Object.entries(row.peers ?? {})) {
    const peer = normalise(name);
    if (ref === peer || ref.startsWith(peer + ' ') || peer.startsWith(ref)) return value;
  }
  return undefined;
}

const num = String.raw`(\d+(?:\.\d+)?)`;
const RATIO = new RegExp(String.raw`^(≥|>=|≤|<=)\s*${num}\s*[×x]\s*(.+)$`);
const OFFSET = new RegExp(String.raw`^(≥|>=|≤|<=)\s*(.+?)\s*([+/*−-])\s*${num}\b.*$`);
const ABSOLUTE = new RegExp(String.raw`^(≥|>=|≤|<=)\s*${num}(?:\s.*)?$`);
const RELATIVE = /^(≥|>=|≤|<=)\s*(\D.*)$/;

function compare(op: string, a: number, b: number): boolean {
  return op === '≥' || op === '>=' ? a >= b : a <= b;
}

function checkClause(row: BenchRow, clause: string): boolean | undefined {
  const c = clause.replace(/^[^≥≤<>]*?(?=[≥≤]|>=|<=)/, '').trim();
  let m = RATIO.exec(c);
  if (m !== null) {
    const [, op = '', times = '', ref = ''] = m;
    const r = ratio(row.ours, reference(row, ref), row.higherIsBetter);
    return Number.isNaN(r) ? undefined : compare(op, r, Number(times));
  }
  m = OFFSET.exec(c);
  if (m !== null) {
    const [, op = '', ref = '', arith = '', n = ''] = m;
    const base = reference(row, ref);
    if (!usable(base) || !usable(row.ours)) return undefined;
    const k = Number(n);
    const bound = arith === '+' ? base + k : arith === '/' ? base / k : arith === '*' ? base * k : base - k;
    return compare(op, row.ours, bound);
  }
  m = ABSOLUTE.exec(c);
  if (m !== null) {
    const [, op = '', n = ''] = m;
    return usable(row.ours) ? compare(op, row.ours, Number(n)) : undefined;
  }
  m = RELATIVE.exec(c);
  if (m !== null) {
    const [, op = '', ref = ''] = m;
    const other = reference(row, ref);
    return usable(other) && usable(row.ours) ? compare(op, row.ours, other) : undefined;
  }
  return undefined;
}

/**
 * Whether a row meets its target: `row.met` when the suite set it, else a
 * reading of `row.target`. Understood forms, joined by `and` or `;`:
 * - `≥5× piscina`, `≥2× Python`, `≥0.95× raw worker_threads`, `≥3× best peer`:
 *   ours is that many times better (the ratio column's orientation);
 * - `≤ Python / 3`, `≤ raw + 5`: ours against a reference value, literally;
 * - `≥400 k msgs/s`, `≤ 50`: ours against a number in the row's unit;
 * - `≤ Python`: ours against a reference value.
 * Words before the comparison sign are ignored. Resolves to undefined when
 * there is no target or a part of it cannot be read or has no value.
 */
export function targetMet(row: BenchRow): boolean | undefined {
  if (row.met !== undefined) return row.met;
  if (row.target === undefined || row.target.trim() === '') return undefined;
  const clauses = row.target
    .split(/\s+and\s+|;/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
  let all = true;
  for (const clause of clauses) {
    const ok = checkClause(row, clause);
    if (ok === undefined) return undefined;
    all &&= ok;
  }
  return all;
}

/** Formats a figure: 3 significant digits below 1000, grouped integers above. */
export function formatNumber(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(3)).toString();
}

function formatRatio(r: number): string {
  if (Number.isNaN(r)) return '—';
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(2) : r.toPrecision(2)}×`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Peer column names: the published pools first, then others in order of appearance. */
export function peerColumns(outcomes: readonly SuiteOutcome[]): string[] {
  const seen = new Set<string>();
  for (const o of outcomes)
    for (const row of o.rows) for (const name of Object.keys(row.peers ?? {})) seen.add(name);
  return [...leadingPeers.filter((p) => seen.has(p)), ...[...seen].filter((p) => !leadingPeers.includes(p))];
}

/**
 * Renders every suite's rows as one Markdown table. Each suite opens with a
 * bold row naming it; a failed suite shows its error in the note column.
 */
export function renderTable(outcomes: readonly SuiteOutcome[]): string {
  const peers = peerColumns(outcomes);
  const header = [
    'figure',
    'unit',
    'ours',
    ...peers,
    'Python',
    'vs best peer',
    'vs Python',
    'target',
    'met?',
    'note',
  ];
  const lines = [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map((_, i) => (i >= 2 && i < header.length - 4 ? ' ---: ' : ' --- ')).join('|')}|`,
  ];
  const blank = header.slice(1).map(() => '');
  for (const o of outcomes) {
    const head = [`**${o.id}**: ${o.title}`, ...blank];
    if (o.error !== undefined) head[head.length - 1] = `error: ${o.error}`;
    lines.push(`| ${head.map(cell).join(' | ')} |`);
    for (const row of o.rows) {
      const best = bestPeer(row);
      const vsBest = ratio(row.ours, best?.value, row.higherIsBetter);
      const met = targetMet(row);
      const cells = [
        row.figure,
        row.unit,
        formatNumber(row.ours),
        ...peers.map((p) => formatNumber(row.peers?.[p])),
        formatNumber(row.python),
        best === undefined || Number.isNaN(vsBest) ? '—' : `${formatRatio(vsBest)} (${best.name})`,
        formatRatio(ratio(row.ours, row.python, row.higherIsBetter)),
        row.target ?? '',
        met === undefined ? (row.target === undefined ? '' : '?') : met ? '✅' : '❌',
        row.note ?? '',
      ];
      lines.push(`| ${cells.map(cell).join(' | ')} |`);
    }
  }
  return lines.join('\n');
}
