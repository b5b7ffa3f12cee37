// A benchmark suite beside the load benchmark (trace store, generator, auth refusals): each runs
// bounded in time, prints its figures as it goes, and returns them for bench/RESULTS.md.
import type { Verdict } from './load/report.ts';

/** What one suite measured. */
export interface SuiteResult {
  /** Section title in RESULTS.md, e.g. "Trace store and query API". */
  readonly title: string;
  /** The section body (markdown): figures beside their baseline, method, the command that reproduces them. */
  readonly markdown: string;
  /** Each target of the issue that named it, with the measured value. */
  readonly verdicts: readonly Verdict[];
}

/** A suite: `run` must finish within `budgetMs` and clean up every process it started. */
export interface Suite {
  /** Name for BENCH_ONLY (e.g. `store`, `gen`, `auth-refusal`). */
  readonly name: string;
  run(ctx: { readonly repo: string; readonly tmp: string; readonly budgetMs: number }): Promise<SuiteResult>;
}
