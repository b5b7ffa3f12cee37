// `telegate k8s render --spec FILE [--out DIR] [--runtime telegate|otelcol-contrib] [--operator]`:
// renders Kubernetes manifests for a gateway cluster and its edges from one small spec. Every
// collector config is validated in process before anything is written. Exit codes: 0 written,
// 1 the spec (or a rendered config) has problems, 2 usage error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssues } from '../config/load-config.ts';
import { errorMessage } from '../errors/thrown.ts';
import { checkConfigs } from '../k8s/check-configs.ts';
import { MissingClientSecretError, type EdgeCredential } from '../k8s/credentials.ts';
import { parseSpec } from '../k8s/load-spec.ts';
import { render, type RenderResult } from '../k8s/render.ts';
import { RUNTIMES, type Runtime } from '../k8s/runtime.ts';
import { readExistingCredentials } from '../k8s/secrets.ts';
import { writeOutput } from '../k8s/write-output.ts';

const USAGE = 'usage: telegate k8s render --spec FILE [--out DIR] [--runtime telegate|otelcol-contrib] [--operator]';

interface RenderArgs {
  readonly spec: string;
  readonly out: string;
  readonly runtime: Runtime;
  readonly operator: boolean;
}

/** Runs `telegate k8s …`; resolves with the exit code. */
export async function runK8s(argv: readonly string[]): Promise<number> {
  let args: RenderArgs | 'help';
  try {
    args = parseK8sArgs(argv);
  } catch (err) {
    process.stderr.write(`telegate k8s: ${errorMessage(err)}\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n(--out defaults to ./k8s; see README "Kubernetes manifests")\n`);
    return 0;
  }
  return renderCommand(args);
}

/** The render arguments, 'help', or an Error with a user-facing message. */
export function parseK8sArgs(argv: readonly string[]): RenderArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      spec: { type: 'string' },
      out: { type: 'string' },
      runtime: { type: 'string' },
      operator: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  if (positionals.length !== 1 || positionals[0] !== 'render')
    throw new Error(`expected the subcommand 'render', got ${JSON.stringify(positionals.join(' '))}`);
  if (values.spec === undefined) throw new Error('--spec FILE is required');
  const runtime = values.runtime ?? 'telegate';
  if (!(RUNTIMES as readonly string[]).includes(runtime))
    throw new Error(`--runtime must be one of ${RUNTIMES.join(', ')}, got ${JSON.stringify(runtime)}`);
  return {
    spec: values.spec,
    out: values.out ?? 'k8s',
    runtime: runtime as Runtime,
    operator: values.operator ?? false,
  };
}

async function renderCommand(args: RenderArgs): Promise<number> {
  let text: string;
  try {
    text = readFileSync(args.spec, 'utf8');
  } catch (err) {
    process.stderr.write(`telegate k8s: cannot read the spec ${args.spec}: ${errorMessage(err)}\n`);
    return 1;
  }
  const loaded = parseSpec(text, args.spec);
  if ('issues' in loaded) {
    process.stderr.write(`${formatIssues(loaded.issues)}\n`);
    return 1;
  }
  const existing = readExistingCredentials(args.out, loaded.spec);
  let result: RenderResult;
  try {
    result = render(loaded.spec, { runtime: args.runtime, operator: args.operator, existing });
  } catch (err) {
    if (!(err instanceof MissingClientSecretError)) throw err;
    process.stderr.write(`telegate k8s: ${err.message}\n`);
    return 1;
  }
  if (!(await configsAreValid(result))) return 1;
  const removed = writeOutput(args.out, result.files);
  process.stdout.write(summary(args.out, result));
  for (const path of removed) process.stdout.write(`removed ${join(args.out, path)} (no longer rendered)\n`);
  return 0;
}

async function configsAreValid(result: RenderResult): Promise<boolean> {
  const checks = await checkConfigs(result.collectors);
  const failed = checks.filter((c) => c.issues.some((i) => i.severity === 'error'));
  for (const c of failed)
    process.stderr.write(`telegate k8s: the rendered config of ${c.cluster} is invalid:\n${formatIssues(c.issues)}\n`);
  return failed.length === 0;
}

function summary(out: string, result: RenderResult): string {
  const clusters = [...new Set(result.files.map((f) => f.path.split(/[\\/]/)[0] ?? ''))];
  const lines = clusters.map(
    (c) => `${join(out, c)}/: ${result.files.filter((f) => f.path.startsWith(c + '/')).length} files`,
  );
  lines.push(...result.notes.map((n) => `note: ${n}`));
  lines.push(...result.credentials.filter((c) => c.generated).map((c) => generatedLine(c)));
  return `${lines.join('\n')}\n`;
}

// Printed once: afterwards the password lives only in the edge's Secret (and as a hash at the gateway).
function generatedLine(c: EdgeCredential): string {
  return `new password for ${c.user} (edge ${c.cluster}): ${c.password}`;
}
