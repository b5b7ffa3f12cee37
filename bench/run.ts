// `npm run bench`: the load benchmark (telegate, the naive baseline and a raw forward reference, each on
// CPU 1 between a load client and a sink on CPU 0), then the micro-benchmarks, all bounded in time.
// Env: BENCH_SECONDS (window, 8), BENCH_WARMUP (3), BENCH_ONLY (names), BENCH_RUNS (1), BENCH_CONNS (4),
// BENCH_INFLIGHT (16), BENCH_MICRO (1; 0 skips). Flags: --write-results (rewrite bench/RESULTS.md), --strict.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './load/build.ts';
import { killAllNow, stopAll } from './load/children.ts';
import { MIDDLES, type Middle } from './load/middles.ts';
import { buildPayload } from './load/payload.ts';
import { clockTicks } from './load/proc.ts';
import {
  HEADER,
  type Figures,
  type Verdict,
  baselineOf,
  figures,
  headline,
  medianRun,
  rows,
  textTable,
  verdicts,
} from './load/report.ts';
import { resultsMarkdown } from './load/results-md.ts';
import { runScenario, type RunOptions } from './load/scenario.ts';
import { type MicroResult, runMicro } from './run-micro.ts';
import type { Suite, SuiteResult } from './suite.ts';
import { authRefusalSuite } from './auth/refusal-suite.ts';
import { genSuite } from './gen/suite.ts';
import { storeSuite } from './store/suite.ts';
import { errorMessage } from '../src/errors/thrown.ts';
import { k8sattributesSuite } from './k8sattributes/suite.ts';
import { codecFloorSuite } from './load/codec-floor-suite.ts';
import { overloadSuite } from './load/overload-suite.ts';
import { smallProfileSuite } from './load/small-profile-suite.ts';
import { soakSuite } from './load/soak-suite.ts';

/** Suites beside the load benchmark, run after it in this order (BENCH_ONLY takes their names too). */
const SUITES: readonly Suite[] = [
  overloadSuite,
  smallProfileSuite,
  codecFloorSuite,
  storeSuite,
  genSuite,
  authRefusalSuite,
  k8sattributesSuite,
  soakSuite,
];
/** Time budget of one suite. */
const SUITE_BUDGET_MS = 120_000;

const REPO = fileURLToPath(new URL('..', import.meta.url));
const env = (name: string, fallback: number): number => {
  const v = Number(process.env[name] ?? fallback);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const flags = new Set(process.argv.slice(2));
const RUNS = Math.min(5, Math.floor(env('BENCH_RUNS', 1)));
const ONLY = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => s !== '');
const MICRO = process.env.BENCH_MICRO !== '0' && !flags.has('--no-micro');
/** Runs that failed (a child crashed, no ready line): reported, and the exit code is 1. */
const failures: string[] = [];

function settings(o: RunOptions): string {
  return `warm-up ${o.warmupS} s, window ${o.windowS} s, ${o.inflight} in-flight unary calls over ${o.conns} connections, ≤${o.maxCalls} calls per run, ${RUNS} run(s) per process`;
}

function reproduceLine(name: string, o: RunOptions): string {
  return `BENCH_ONLY=${name} BENCH_WARMUP=${o.warmupS} BENCH_SECONDS=${o.windowS} BENCH_CONNS=${o.conns} BENCH_INFLIGHT=${o.inflight} BENCH_MICRO=0 npm run bench`;
}

async function measureAll(middles: readonly Middle[], o: RunOptions): Promise<Map<string, Figures[]>> {
  const all = new Map<string, Figures[]>();
  for (let run = 1; run <= RUNS; run++) {
    for (const m of middles) {
      console.log(`\n▶ ${m.name} (run ${run}/${RUNS}): ${m.label}`);
      let f: Figures;
      try {
        f = figures(await runScenario(m, o));
      } catch (err) {
        failures.push(`${m.name}: ${errorMessage(err)}`);
        console.log(`  ✗ ${failures.at(-1) ?? ''}`);
        continue;
      }
      console.log(
        `  ${f.spansPerS.toFixed(0)} spans/s, ${f.cpuPerMillion.toFixed(3)} CPU-s/M spans, peak RSS ${f.rssMB.toFixed(1)} MB`,
      );
      console.log(
        `  sink: ${f.m.sinkRequests} requests (${f.m.sinkGzipRequests} gzip), ${(f.m.spans / Math.max(1, f.m.sinkRequests)).toFixed(0)} spans each`,
      );
      for (const w of f.warnings) console.log(`  ! ${w}`);
      all.set(m.name, [...(all.get(m.name) ?? []), f]);
    }
  }
  return all;
}

async function runSuites(o: RunOptions): Promise<SuiteResult[]> {
  const out: SuiteResult[] = [];
  for (const suite of SUITES.filter((x) => ONLY.length === 0 || ONLY.includes(x.name))) {
    console.log(`\n▶ ${suite.name}`);
    try {
      const r = await suite.run({ repo: o.repo, tmp: o.tmp, budgetMs: SUITE_BUDGET_MS });
      for (const v of r.verdicts) console.log(`  ${v.pass ? 'PASS' : 'FAIL'}  ${v.target}: ${v.actual}`);
      out.push(r);
    } catch (err) {
      failures.push(`${suite.name}: ${errorMessage(err)}`);
      console.log(`  ✗ ${failures.at(-1) ?? ''}`);
    }
  }
  return out;
}

function printVerdicts(chosen: readonly Figures[]): Map<string, readonly Verdict[]> {
  const out = new Map<string, readonly Verdict[]>();
  for (const t of chosen.filter((f) => f.m.name.startsWith('telegate'))) {
    const list = verdicts(t, baselineOf(t, chosen));
    out.set(t.m.name, list);
    console.log(`\nTargets for ${t.m.name}:`);
    for (const v of list) console.log(`  ${v.pass ? 'PASS' : 'FAIL'}  ${v.target}: ${v.actual}`);
  }
  const plain = chosen.find((f) => f.m.name === 'telegate');
  const authRows = [
    ['telegate-auth', 'basicauth (bcrypt cost 10)'],
    ['telegate-oidc', 'oidc (RS256 JWT, token cache)'],
  ] as const;
  const list: Verdict[] = [];
  for (const [name, what] of authRows) {
    const auth = chosen.find((f) => f.m.name === name);
    if (plain === undefined || auth === undefined) continue;
    const overhead = auth.cpuPerMillion / plain.cpuPerMillion - 1;
    list.push({
      target: `${what} costs < 5% CPU per span over the same gateway without auth`,
      actual: `${(overhead * 100).toFixed(1)}%`,
      pass: overhead < 0.05,
    });
  }
  if (list.length > 0) {
    out.set('auth-overhead', list);
    console.log('\nAuth overhead:');
    for (const v of list) console.log(`  ${v.pass ? 'PASS' : 'FAIL'}  ${v.target}: ${v.actual}`);
  }
  return out;
}

async function main(): Promise<number> {
  const o: RunOptions = {
    repo: REPO,
    tmp: mkdtempSync(join(tmpdir(), 'telegate-bench-')),
    warmupS: env('BENCH_WARMUP', 3),
    windowS: env('BENCH_SECONDS', 8),
    conns: Math.floor(env('BENCH_CONNS', 4)),
    inflight: Math.floor(env('BENCH_INFLIGHT', 16)),
    maxCalls: Math.floor(env('BENCH_MAX_CALLS', 400_000)),
    ticksPerS: clockTicks(),
  };
  const payload = buildPayload();
  const payloadText = `${payload.bytes.length} bytes, ${payload.spans} spans per request (${payload.bytesPerSpan.toFixed(1)} B/span)`;
  console.log(`telegate load benchmark — ${settings(o)}\npayload: ${payloadText}`);
  const skipped: string[] = [];
  let middles = MIDDLES.filter((m) => ONLY.length === 0 || ONLY.includes(m.name));
  const suitesChosen = SUITES.some((x) => ONLY.length === 0 || ONLY.includes(x.name));
  if (middles.some((m) => m.name.startsWith('telegate')) || suitesChosen) {
    const why = ensureBuilt(REPO, (l) => {
      console.log(l);
    });
    if (why !== undefined) {
      skipped.push(`telegate: ${why}`);
      middles = middles.filter((m) => !m.name.startsWith('telegate'));
    }
  }
  for (const s of skipped) console.log(`skipping ${s}`);
  try {
    const all = await measureAll(middles, o);
    const chosen = [...all.values()].map(medianRun);
    const ranges = new Map(
      [...all].map(([name, list]) => [
        name,
        list.length < 2 ? '' : list.map((f) => f.cpuPerMillion.toFixed(3)).join(', '),
      ]),
    );
    const head = headline(chosen);
    if (head.length > 0) console.log(`\nHeadline, the seed's gateway (issue 15):\n  ${head.join('\n  ')}`);
    if (chosen.length > 0) console.log(`\n${textTable(HEADER, rows(chosen))}`);
    const verdictMap = printVerdicts(chosen);
    const reproduce = chosen.flatMap((f) => [
      `# ${f.m.name}`,
      reproduceLine(f.m.name, o),
      ...f.m.commands.map((c) => `#   ${c}`),
    ]);
    if (reproduce.length > 0) console.log(`\nReproduce each figure:\n${reproduce.join('\n')}`);
    // The generator's target is relative to the collector's own rate per core, measured just now.
    const collector = chosen.find((f) => f.m.name === 'telegate');
    if (collector !== undefined && process.env.BENCH_COLLECTOR_SPANS_PER_S === undefined)
      process.env.BENCH_COLLECTOR_SPANS_PER_S = String(Math.round(collector.spansPerCpuS));
    const suites = await runSuites(o);
    for (const r of suites) verdictMap.set(r.title, r.verdicts);
    let micro: { results: MicroResult[]; skipped: string[] } = { results: [], skipped: [] };
    if (MICRO)
      micro = await runMicro(REPO, env('BENCH_MICRO_TIMEOUT', 45) * 1000, env('BENCH_MICRO_BUDGET', 150) * 1000);
    for (const s of micro.skipped) console.log(`micro-benchmark skipped (time budget spent): ${s}`);
    if (flags.has('--write-results')) {
      const notRun = [...skipped, ...failures.map((f) => `failed: ${f.split('\n')[0] ?? ''}`)];
      const page = resultsMarkdown({
        repo: REPO,
        settings: settings(o),
        payload: payloadText,
        figures: chosen,
        ranges,
        verdicts: verdictMap,
        reproduce,
        skipped: notRun,
        micro: micro.results,
        suites,
      });
      writeFileSync(join(REPO, 'bench/RESULTS.md'), page);
      console.log('\nwrote bench/RESULTS.md');
    }
    for (const f of failures) console.log(`\nFAILED ${f}`);
    const failed = [...verdictMap.values()].flat().some((v) => !v.pass);
    return failures.length > 0 || (flags.has('--strict') && failed) ? 1 : 0;
  } finally {
    await stopAll();
    if (process.env.BENCH_KEEP !== '1') rmSync(o.tmp, { recursive: true, force: true });
  }
}

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    killAllNow();
    process.exit(130);
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`bench failed: ${errorMessage(err)}`);
    killAllNow();
    process.exitCode = 1;
  },
);
