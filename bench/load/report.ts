// Turns measurements into figures, target verdicts, warnings and the text printed by bench/run.ts
// (console table) or written to bench/RESULTS.md (markdown).
import type { Measurement } from './scenario.ts';

/** Derived figures of one measurement. */
export interface Figures {
  readonly m: Measurement;
  readonly spansPerS: number;
  readonly cpuPerMillion: number;
  /** The main thread's share: Node's event loop, without zlib's async work on libuv's pool. */
  readonly loopCpuPerMillion: number;
  readonly spansPerCpuS: number;
  readonly util: number;
  readonly loadUtil: number;
  readonly rssMB: number;
  readonly warnings: string[];
}

/** One target check. */
export interface Verdict {
  readonly target: string;
  readonly actual: string;
  readonly pass: boolean;
}

/** Spans per CPU-s over the naive baseline's, per row (issue 15); other telegate rows keep the general 10×. */
export const TARGET_RATIO = 10;
export const TARGET_RATIOS: Readonly<Record<string, number>> = {
  'telegate-seed': 6,
  'telegate-gzip': 8,
  'telegate-gzip6': 8,
  telegate: 20,
  'telegate-zstd': 12,
  'telegate-small': 8,
};
export const TARGET_CPU_PER_MILLION = 1.2;
export const TARGET_RSS_MB = 150;

/** Computes the figures of a measurement and what looks wrong with it. */
export function figures(m: Measurement): Figures {
  const warnings: string[] = [];
  if (m.spans === 0) warnings.push('no spans reached the sink in the window');
  if (m.clientErrors > 0)
    warnings.push(`${m.clientErrors} failed calls in the window; samples: ${JSON.stringify(m.errorSamples)}`);
  if (m.sinkErrors > 0) warnings.push(`${m.sinkErrors} requests rejected by the sink`);
  if (m.ackedSpans > 0 && Math.abs(m.ackedSpans - m.spans) / m.ackedSpans > 0.05)
    warnings.push(
      `sink received ${m.spans} spans but the client had ${m.ackedSpans} acknowledged (batching lag or drops)`,
    );
  const other = m.otherCpu1S / m.windowS;
  if (other > 0.1) warnings.push(`noisy: CPU 1 spent ${pct(other)} of the window on other work or steal`);
  const other0 = m.otherCpu0S / m.windowS;
  if (other0 > 0.1)
    warnings.push(`noisy: CPU 0 (client+sink) spent ${pct(other0)} of the window on other work or steal`);
  const loadUtil = m.loadCpuS / m.windowS;
  if (loadUtil + other0 > 0.9)
    warnings.push(
      `CPU 0 was ${pct(loadUtil + other0)} busy (client+sink ${pct(loadUtil)}): spans/s is bounded by CPU 0, not by the process under test; CPU-s per M spans still holds`,
    );
  return {
    m,
    spansPerS: m.spans / m.windowS,
    cpuPerMillion: m.spans > 0 ? (m.middleCpuS / m.spans) * 1e6 : Infinity,
    loopCpuPerMillion: m.spans > 0 ? (m.middleLoopCpuS / m.spans) * 1e6 : Infinity,
    spansPerCpuS: m.middleCpuS > 0 ? m.spans / m.middleCpuS : 0,
    util: m.middleCpuS / m.windowS,
    loadUtil,
    rssMB: m.peakRssBytes / 1e6,
    warnings,
  };
}

/** The three targets of the issue for one telegate variant against the naive baseline. */
export function verdicts(t: Figures, naive: Figures | undefined): Verdict[] {
  const out: Verdict[] = [];
  if (naive !== undefined && naive.spansPerCpuS > 0) {
    const ratio = t.spansPerCpuS / naive.spansPerCpuS;
    const target = TARGET_RATIOS[t.m.name] ?? TARGET_RATIO;
    out.push({
      target: `≥ ${target}× the ${naive.m.name} baseline's spans per CPU-s`,
      actual: `${ratio.toFixed(1)}×`,
      pass: ratio >= target,
    });
  }
  out.push({
    target: `≤ ${TARGET_CPU_PER_MILLION} CPU-s per million spans`,
    actual: t.cpuPerMillion.toFixed(3),
    pass: t.cpuPerMillion <= TARGET_CPU_PER_MILLION,
  });
  out.push({
    target: `peak RSS < ${TARGET_RSS_MB} MB`,
    actual: `${t.rssMB.toFixed(1)} MB`,
    pass: t.rssMB < TARGET_RSS_MB,
  });
  return out;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

const si = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);

/** Spans per CPU-s of `f` over the naive baseline's in the same run, as "12.3×" ("" without a baseline). */
export function vsNaive(f: Figures, naive: Figures | undefined): string {
  return naive === undefined || naive.spansPerCpuS <= 0 ? '' : `${(f.spansPerCpuS / naive.spansPerCpuS).toFixed(1)}×`;
}

/**
 * Table rows: name, spans/s, CPU-s/M (process, then event loop alone), spans per CPU-s, the ratio to the naive
 * baseline of the same list, failed calls (refusals such as UNAVAILABLE count here) of those finished in the
 * window, CPU-1 util, CPU-0 util, peak RSS.
 */
export function rows(list: readonly Figures[]): string[][] {
  return list.map((f) => [
    f.m.name,
    si(f.spansPerS),
    f.cpuPerMillion.toFixed(3),
    f.loopCpuPerMillion.toFixed(3),
    si(f.spansPerCpuS),
    vsNaive(f, baselineOf(f, list)),
    vsNaive(f, defaultBaselineOf(f, list)),
    `${f.m.clientErrors} of ${f.m.clientCalls}`,
    f.util.toFixed(2),
    f.loadUtil.toFixed(2),
    `${f.rssMB.toFixed(1)} MB`,
  ]);
}

export const HEADER = [
  'process',
  'spans/s',
  'CPU-s / M spans',
  'of which event loop',
  'spans per CPU-s',
  'vs naive (BIGWIN)',
  'vs naive (default windows)',
  'failed calls',
  'CPU 1 util',
  'CPU 0 util (client+sink)',
  'peak RSS (VmHWM)',
];

/** A fixed-width text table. */
export function textTable(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** A markdown table. */
export function markdownTable(header: readonly string[], body: readonly (readonly string[])[]): string {
  const line = (r: readonly string[]): string => `| ${r.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}

/**
 * The naive row a row compares with: `naive-small` for the small-request rows, `naive-seed` for the seed
 * gateway's rows, else `naive` (all three with BIGWIN windows, perf-lab §3).
 */
export function baselineOf(f: Figures, list: readonly Figures[]): Figures | undefined {
  return list.find((x) => x.m.name === baselineName(f.m.name));
}

/** The same baseline with grpc-js's default HTTP/2 windows (`<baseline>-default`), what the issue's own harness ran. */
export function defaultBaselineOf(f: Figures, list: readonly Figures[]): Figures | undefined {
  return list.find((x) => x.m.name === `${baselineName(f.m.name)}-default`);
}

function baselineName(name: string): string {
  if (name.includes('-small')) return 'naive-small';
  return name.includes('-seed') ? 'naive-seed' : 'naive';
}

/** The headline of issue 15 (the seed's gateway beside its naive counterpart), or [] when those rows did not run. */
export function headline(list: readonly Figures[]): string[] {
  const t = list.find((x) => x.m.name === 'telegate-seed');
  const naive = t === undefined ? undefined : baselineOf(t, list);
  if (t === undefined || naive === undefined) return [];
  const cpu = (f: Figures): string => `${f.cpuPerMillion.toFixed(3)} CPU-s/M spans`;
  const out = [
    `telegate-seed ${cpu(t)} vs naive-seed ${cpu(naive)} (BIGWIN windows): ${vsNaive(t, naive)} the spans per CPU-s (target ≥ ${TARGET_RATIOS['telegate-seed'] ?? TARGET_RATIO}×)`,
  ];
  const d = defaultBaselineOf(t, list);
  if (d !== undefined)
    out.push(
      `vs naive-seed-default ${cpu(d)} (grpc-js default windows, as the issue's own harness ran it): ${vsNaive(t, d)}`,
    );
  return out;
}

/** The run whose CPU-s per M spans is the median of several (figures stay from one coherent run). */
export function medianRun(list: readonly Figures[]): Figures {
  const sorted = [...list].sort((a, b) => a.cpuPerMillion - b.cpuPerMillion);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
