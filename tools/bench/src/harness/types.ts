/**
 * The contract between the bench runner and the suites. A suite measures
 * one topic and returns rows; the runner prints every row of every suite as
 * one table with ratios against the peers and Python.
 */

/** One figure of the table. */
export interface BenchRow {
  /** What is measured, e.g. `pool: tiny tasks, one call each`. */
  readonly figure: string;
  /** Unit of every number in the row, e.g. `k tasks/s` or `µs`. */
  readonly unit: string;
  /** True for throughputs (bigger is better), false for latencies. */
  readonly higherIsBetter: boolean;
  /** Our figure (median of the samples). */
  readonly ours: number;
  /** Peers measured in the same run, by name (piscina, tinypool, workerpool, threads.js, raw …). */
  readonly peers?: Readonly<Record<string, number>>;
  /** Python's figure measured in the same run (python3), if any. */
  readonly python?: number;
  /** The project's target in words, e.g. `≥5× piscina`. */
  readonly target?: string;
  /** Anything the reader must know to read the row. */
  readonly note?: string;
  /**
   * Whether the target is met, when the suite knows better than the
   * runner's reading of {@link BenchRow.target} (see `harness/report.ts`).
   */
  readonly met?: boolean;
}

/** What a suite is given. */
export interface BenchContext {
  /** Shorter runs (CI smoke, `--quick`). */
  readonly quick: boolean;
}

/** A benchmark topic. Each file in `src/suites/` exports one as `suite`. */
export interface BenchSuite {
  /** Short id used on the command line (`npm run bench -- codec`). */
  readonly id: string;
  readonly title: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
