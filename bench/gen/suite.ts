// The generator benchmark: `telegate gen traces --rate 0` pinned to CPU 1 sends to the load benchmark's
// counting sink (bench/load/sink.ts) pinned to CPU 0, for telemetrygen's spans and for the shop scenario.
// It reports spans/s counted at the sink, the generator's CPU-s per million spans (process.cpuUsage,
// reported by gen) and so the spans one core of generator sustains, beside the collector's forwarding
// rate (BENCH_COLLECTOR_SPANS_PER_S, default 1.1M): the target is at least twice that.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Suite, SuiteResult } from '../suite.ts';
import type { Verdict } from '../load/report.ts';
import { ask, spawnPinned, stopChild, waitFor, waitForEvent, type Child } from '../load/children.ts';

/** One measured variant. */
export interface GenFigures {
  readonly name: string;
  readonly args: readonly string[];
  readonly sentSpans: number;
  readonly sinkSpans: number;
  readonly elapsedS: number;
  /** Spans per second counted at the sink. */
  readonly spansPerS: number;
  readonly cpuPerMillion: number;
  /** 1e6 / cpuPerMillion: what one fully busy core of generator sends. */
  readonly spansPerCpuS: number;
  /** Share of its core the generator used. */
  readonly util: number;
  /** Share of its core the sink used (near 1 means the sink, not the generator, was the limit). */
  readonly sinkUtil: number;
  readonly command: string;
}

interface GenSummaryLine {
  readonly sentItems: number;
  readonly failedItems: number;
  readonly elapsedMs: number;
  readonly cpuMs: number;
}

const VARIANTS: readonly { name: string; args: readonly string[] }[] = [
  {
    name: 'telemetrygen spans (1 + 9 children), 1,000 per request',
    args: ['--child-spans', '9', '--batch-size', '1000'],
  },
  {
    name: 'scenario shop (6 services), ≈1,000 spans per request',
    args: ['--scenario', 'shop', '--batch-size', '1000'],
  },
];

/** Measures one variant for `seconds`; stops both processes. */
export async function measureVariant(
  repo: string,
  variant: { name: string; args: readonly string[] },
  seconds: number,
): Promise<GenFigures> {
  const sink = spawnPinned(
    'sink',
    0,
    ['--import', 'tsx', 'bench/load/sink.ts', '--port', '0', '--max-seconds', String(seconds + 30)],
    repo,
  );
  let gen: Child | undefined;
  try {
    const ready = await waitForEvent(sink, 'ready', 15_000);
    const before = await ask(sink, 'snap', 'snap', 5000);
    const args = [
      'dist/cli/main.js',
      'gen',
      'traces',
      '--otlp-endpoint',
      `127.0.0.1:${String(ready['port'])}`,
      '--otlp-insecure',
      '--rate',
      '0',
      '--duration',
      `${seconds}s`,
      '--inflight',
      '32', // 8 left both processes idle part of the time (2.5M vs 1.9M spans/s at the sink)
      '--summary-json',
      ...variant.args,
    ];
    gen = spawnPinned('gen', 1, args, repo);
    const summary = await waitFor(gen, (seconds + 20) * 1000, (line) =>
      line.startsWith('{"summary"') ? (JSON.parse(line) as { summary: GenSummaryLine }).summary : undefined,
    );
    const after = await ask(sink, 'snap', 'snap', 5000);
    const sinkSpans = Number(after['spans']) - Number(before['spans']);
    const elapsedS = summary.elapsedMs / 1000;
    const cpuPerMillion = summary.sentItems > 0 ? (summary.cpuMs / 1000 / summary.sentItems) * 1e6 : Infinity;
    return {
      name: variant.name,
      args: variant.args,
      sentSpans: summary.sentItems,
      sinkSpans,
      elapsedS,
      spansPerS: sinkSpans / elapsedS,
      cpuPerMillion,
      spansPerCpuS: 1e6 / cpuPerMillion,
      util: summary.cpuMs / summary.elapsedMs,
      sinkUtil: (Number(after['cpu']) - Number(before['cpu'])) / elapsedS,
      command: gen.command,
    };
  } finally {
    if (gen !== undefined) await stopChild(gen);
    await stopChild(sink);
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The RESULTS.md section for the measured variants. */
export function genMarkdown(list: readonly GenFigures[], collectorSpansPerS: number): string {
  const rows = list.map(
    (f) =>
      `| ${f.name} | ${fmt(f.spansPerS)} | ${(f.util * 100).toFixed(0)} % | ${(f.sinkUtil * 100).toFixed(0)} % | ${f.cpuPerMillion.toFixed(2)} | **${fmt(f.spansPerCpuS)}** | ${f.sinkSpans === f.sentSpans ? 'equal' : `sink ${fmt(f.sinkSpans)} ≠ gen ${fmt(f.sentSpans)}`} |`,
  );
  return [
    `Generator pinned to CPU 1, counting sink (bench/load/sink.ts) to CPU 0, OTLP/gRPC, unthrottled. Target: one core of generator ≥ 2 × the collector's forwarding rate (${fmt(collectorSpansPerS)} spans/s) = ${fmt(2 * collectorSpansPerS)} spans/s. "Spans per core-second" is 1e6 / (CPU-s per million spans): the generator's own CPU, so it holds even when the sink is the limit (sink CPU near 100 %).`,
    '',
    '| variant | spans/s at the sink | gen CPU | sink CPU | gen CPU-s per M spans | spans per core-second | sink count vs gen |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'Reproduce: `npm run build && node --import tsx bench/gen/run.ts` (or each command: ' +
      list.map((f) => `\`${f.command}\``).join(', ') +
      ').',
  ].join('\n');
}

/** `genSuite`: bounded by its budget (two variants of about a third of it each). */
export const genSuite: Suite = {
  name: 'gen',
  async run(ctx): Promise<SuiteResult> {
    if (!existsSync(join(ctx.repo, 'dist/cli/main.js')))
      throw new Error('bench gen: run `npm run build` first (dist/cli/main.js is missing)');
    const collector = Number(process.env['BENCH_COLLECTOR_SPANS_PER_S'] ?? 1_100_000);
    const seconds = Math.max(3, Math.min(10, Math.floor(ctx.budgetMs / 1000 / VARIANTS.length) - 5));
    const list: GenFigures[] = [];
    for (const v of VARIANTS) {
      const f = await measureVariant(ctx.repo, v, seconds);
      process.stdout.write(
        `gen: ${f.name}: ${fmt(f.spansPerS)} spans/s at the sink, ${f.cpuPerMillion.toFixed(2)} CPU-s/M → ${fmt(f.spansPerCpuS)} spans per core-second\n`,
      );
      list.push(f);
    }
    const verdicts: Verdict[] = list.map((f) => ({
      target: `generator ≥ 2 × collector (${fmt(2 * collector)} spans/s on one core): ${f.name}`,
      actual: `${fmt(f.spansPerCpuS)} spans per core-second (${fmt(f.spansPerS)} spans/s at the sink)`,
      pass: f.spansPerCpuS >= 2 * collector && f.sinkSpans === f.sentSpans,
    }));
    return { title: 'Generator (telegate gen)', markdown: genMarkdown(list, collector), verdicts };
  },
};
