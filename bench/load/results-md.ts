// Renders bench/RESULTS.md: machine, method, the load table, target verdicts, reproduce commands and
// the micro-benchmark output of the last `npm run bench -- --write-results`.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { cpuModel } from './proc.ts';
import { HEADER, type Figures, type Verdict, headline, markdownTable, rows } from './report.ts';
import type { MicroResult } from '../run-micro.ts';
import type { SuiteResult } from '../suite.ts';

/** Everything the results page shows. */
export interface ResultsInput {
  readonly repo: string;
  readonly settings: string;
  readonly payload: string;
  readonly figures: readonly Figures[];
  readonly ranges: ReadonlyMap<string, string>;
  readonly verdicts: ReadonlyMap<string, readonly Verdict[]>;
  readonly reproduce: readonly string[];
  readonly skipped: readonly string[];
  readonly micro: readonly MicroResult[];
  readonly suites: readonly SuiteResult[];
}

function git(repo: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Machine, runtime and source version lines. */
export function machineLines(repo: string): string[] {
  const dirty = git(repo, ['status', '--porcelain']) === '' ? '' : ' (with uncommitted changes)';
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: nproc ${cpus().length}, ${cpuModel()}`,
    `- Node ${process.version}`,
    `- git commit ${git(repo, ['rev-parse', '--short', 'HEAD'])}${dirty}`,
  ];
}

function verdictBlock(name: string, list: readonly Verdict[]): string {
  return [`**${name}**`, '', ...list.map((v) => `- ${v.pass ? 'PASS' : 'FAIL'} ${v.target}: ${v.actual}`)].join('\n');
}

/** The full markdown page. */
export function resultsMarkdown(r: ResultsInput): string {
  const body = rows(r.figures).map((row) => [...row, r.ranges.get(row[0]!) ?? '']);
  const head = headline(r.figures);
  const warnings = r.figures.flatMap((f) => f.warnings.map((w) => `- ${f.m.name}: ${w}`));
  const micro = r.micro.map(
    (m) => `### ${m.file} (${m.status})\n\`${m.command}\`\n\n\`\`\`\n${m.output.trim()}\n\`\`\``,
  );
  return [
    '# Benchmark results',
    '',
    'Written by `npm run bench -- --write-results` (see bench/README.md for what each figure means). Do not edit by hand.',
    '',
    ...machineLines(r.repo),
    `- payload: ${r.payload}`,
    `- settings: ${r.settings}`,
    '',
    ...(head.length > 0
      ? [
          "## Headline: the seed's gateway (issue 15)",
          '',
          'gzip in over TLS with Basic credentials, basicauth (bcrypt cost 10) + batch + otlp exporter at its default compression, against a grpc-js forwarder doing the same TLS, a plain credential compare and gzip out (rows `telegate-seed`, `naive-seed`, `naive-seed-default` below).',
          '',
          ...head.map((l) => `- ${l}`),
          '',
        ]
      : []),
    '## Load: OTLP/gRPC client (CPU 0) → process under test (CPU 1) → sink (CPU 0)',
    '',
    markdownTable([...HEADER, 'CPU-s/M range'], body),
    '',
    ...r.figures.map((f) => `- **${f.m.name}**: ${f.m.label}`),
    ...(r.skipped.length > 0 ? ['', 'Not run:', ...r.skipped.map((s) => `- ${s}`)] : []),
    '',
    ...r.suites.flatMap((s) => [`## ${s.title}`, '', s.markdown, '']),
    '## Targets',
    '',
    ...[...r.verdicts].map(([name, list]) => verdictBlock(name, list) + '\n'),
    ...(warnings.length > 0 ? ['## Warnings', '', ...warnings, ''] : []),
    '## Reproduce',
    '',
    '```',
    ...r.reproduce,
    '```',
    ...(micro.length > 0 ? ['', '## Micro-benchmarks', '', ...micro] : []),
    '',
  ].join('\n');
}
