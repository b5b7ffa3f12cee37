// The codec floor (BENCH_ONLY=codec-floor): what gzip and zstd cost alone at the exporter's default levels
// on the batch the load benchmark's gateway compresses (bench/load/codec-floor.ts, pinned to CPU 1), so the
// compressed rows can be read against it: a row costs at least the uncompressed pipeline (row `telegate`)
// plus its codec, whatever the collector around the codec does.
import type { Suite, SuiteResult } from '../suite.ts';
import { spawnPinned, stopChild, waitFor } from './children.ts';
import { markdownTable } from './report.ts';

/** Seconds each codec is measured. */
const SECONDS = 3;

interface CodecFigure {
  readonly name: string;
  readonly cpuPerMillion: number;
  readonly ratio: number;
  readonly calls: number;
  readonly batchBytes: number;
}

export const codecFloorSuite: Suite = {
  name: 'codec-floor',
  async run({ repo, budgetMs }): Promise<SuiteResult> {
    const child = spawnPinned(
      'codec-floor',
      1,
      ['--import', 'tsx', 'bench/load/codec-floor.ts', String(SECONDS)],
      repo,
    );
    const figures: CodecFigure[] = [];
    try {
      await waitFor(child, Math.min(budgetMs, 120_000), (_line, event) => {
        if (event?.event === 'result') {
          const f = event as unknown as CodecFigure;
          figures.push(f);
          console.log(`  ${f.name}: ${f.cpuPerMillion.toFixed(3)} CPU-s/M spans alone, ratio ${f.ratio.toFixed(2)}`);
        }
        return event?.event === 'done' ? true : undefined;
      });
    } finally {
      await stopChild(child);
    }
    const rows = figures.map((f) => [f.name, f.cpuPerMillion.toFixed(3), f.ratio.toFixed(2), String(f.calls)]);
    const batch = figures[0]?.batchBytes ?? 0;
    const markdown = [
      `The exporter's codecs alone at their default levels, on the batch the gateway above compresses: 9 distinct 1,000-span requests (${batch} bytes) as parts, through telegate's own calls (gzip as one member on the event loop, as on one CPU; zstd through the native binding on libuv's pool, 4 in flight), pinned to CPU 1 for ${SECONDS} s each. CPU is the whole process (\`process.cpuUsage\`).`,
      '',
      markdownTable(['codec', 'CPU-s / M spans, alone', 'ratio', 'batches'], rows),
      '',
      'A compressed row costs at least the `telegate` row (the uncompressed pipeline) plus its codec here: that sum is the floor under `telegate-gzip` and `telegate-zstd`, and the ratio targets of issue 15 (gzip ≥ 8×, zstd ≥ 12× the naive baseline) ask for less than it. In the gateway the codec costs more than alone (cache and, for zstd, the pool thread sharing the core).',
      '',
      `Reproduce: \`BENCH_ONLY=codec-floor BENCH_MICRO=0 npm run bench\` (child: \`${child.command}\`).`,
    ].join('\n');
    return { title: 'Codec floor: gzip and zstd alone', markdown, verdicts: [] };
  },
};
