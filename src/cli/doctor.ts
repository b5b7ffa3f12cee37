// `telegate doctor --config FILE` / `telegate doctor --endpoint HOST:PORT [...]`: checks each exporter's
// way to its gateway step by step (src/doctor/) and prints ✔/✘ per step with cause and fix.
// Exit codes: 0 every endpoint passes, 1 a check failed (or nothing to check), 2 usage error.
import { parseArgs } from 'node:util';
import { parseBytes, parseDuration } from '../config/units.ts';
import { errorMessage } from '../errors/thrown.ts';
import { checkTarget } from '../doctor/check-target.ts';
import { targetsFromConfig, type SkippedExporter } from '../doctor/config-targets.ts';
import { DEFAULT_BODY_BYTES, targetFromEndpoint, type EndpointFlags } from '../doctor/endpoint-target.ts';
import { pitfallWarnings } from '../doctor/pitfalls.ts';
import { formatReport, formatSummary } from '../doctor/print.ts';
import { passed, type TargetReport } from '../doctor/result.ts';
import type { DoctorTarget } from '../doctor/target.ts';
import { ServiceLogger } from '../service/telemetry/logger.ts';
import { loadAndReport } from './load.ts';

const USAGE = `usage: telegate doctor --config FILE [--set K=V]... [--json] [--timeout 5s]
       telegate doctor --endpoint HOST:PORT [--protocol grpc|http] [--user U --password-file F]
                       [--ca-file F] [--server-name NAME] [--insecure] [--body-size 1MiB] [--json]
Checks DNS, TCP, TLS, HTTP/2 and gRPC (or HTTP), credentials (an empty export) and the body limit
(an export as large as the largest batch) for each otlp/otlphttp exporter, and says how to fix a failure.`;

class UsageError extends Error {}

interface DoctorArgs {
  readonly configs: string[];
  readonly sets: string[];
  readonly endpoint: EndpointFlags | undefined;
  readonly json: boolean;
  readonly timeoutMs: number;
  readonly help: boolean;
}

/** Runs the command; resolves with the exit code. */
export async function runDoctor(argv: readonly string[]): Promise<number> {
  let args: DoctorArgs;
  try {
    args = parseDoctorArgs(argv);
  } catch (err) {
    process.stderr.write(`telegate doctor: ${errorMessage(err)}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const prepared = await prepare(args);
  if (typeof prepared === 'number') return prepared;
  const reports: TargetReport[] = [];
  for (const target of prepared.targets) {
    const report = await checkTarget(target, { timeoutMs: args.timeoutMs });
    reports.push(report);
    if (!args.json) process.stdout.write(`${formatReport(report)}\n\n`);
  }
  if (args.json) process.stdout.write(`${JSON.stringify({ reports, skipped: prepared.skipped }, null, 2)}\n`);
  else process.stdout.write(`${formatSummary(reports)}\n`);
  return reports.length > 0 && reports.every(passed) ? 0 : 1;
}

// The targets to check, or an exit code when there is nothing to check.
async function prepare(args: DoctorArgs): Promise<{ targets: DoctorTarget[]; skipped: SkippedExporter[] } | number> {
  if (args.endpoint !== undefined) {
    try {
      return { targets: [await targetFromEndpoint(args.endpoint)], skipped: [] };
    } catch (err) {
      process.stderr.write(`telegate doctor: ${errorMessage(err)}\n`);
      return 2;
    }
  }
  const { config } = await loadAndReport(args.configs, args.sets, pitfallWarnings);
  if (config === undefined) return 1;
  let found;
  try {
    found = await targetsFromConfig(config, new ServiceLogger('warn'));
  } catch (err) {
    process.stderr.write(`telegate doctor: ${errorMessage(err)}\n`);
    return 1;
  }
  if (!args.json) for (const s of found.skipped) process.stdout.write(`– ${s.name}: not checked: ${s.reason}\n`);
  if (found.targets.length === 0) {
    process.stderr.write('telegate doctor: no otlp or otlphttp exporter in any pipeline: nothing to check\n');
    return 1;
  }
  return found;
}

/** The flags, or a UsageError. */
export function parseDoctorArgs(argv: readonly string[]): DoctorArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: OPTIONS });
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const v = parsed.values;
  const configs = v.config ?? [];
  if (v.help === true) return { configs, sets: [], endpoint: undefined, json: false, timeoutMs: 0, help: true };
  if (configs.length > 0 === (v.endpoint !== undefined))
    throw new UsageError('give either --config FILE or --endpoint HOST:PORT');
  const endpointOnly = [
    'protocol',
    'user',
    'password-file',
    'ca-file',
    'server-name',
    'insecure',
    'body-size',
  ] as const;
  if (v.endpoint === undefined) {
    const stray = endpointOnly.find((k) => v[k] !== undefined);
    if (stray !== undefined)
      throw new UsageError(`--${stray} goes with --endpoint (with --config the exporter's settings are used)`);
  }
  return {
    configs,
    sets: v.set ?? [],
    endpoint: v.endpoint === undefined ? undefined : endpointFlags(v.endpoint, v),
    json: v.json ?? false,
    timeoutMs: unit(parseDuration, v.timeout ?? '5s', '--timeout'),
    help: false,
  };
}

const OPTIONS = {
  config: { type: 'string', multiple: true, short: 'c' },
  set: { type: 'string', multiple: true },
  endpoint: { type: 'string' },
  protocol: { type: 'string' },
  user: { type: 'string' },
  'password-file': { type: 'string' },
  'ca-file': { type: 'string' },
  'server-name': { type: 'string' },
  insecure: { type: 'boolean' },
  'body-size': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function endpointFlags(endpoint: string, v: Values): EndpointFlags {
  const protocol = v.protocol ?? 'grpc';
  if (protocol !== 'grpc' && protocol !== 'http')
    throw new UsageError(`--protocol must be grpc or http, got "${protocol}"`);
  if ((v.user === undefined) !== (v['password-file'] === undefined))
    throw new UsageError('--user and --password-file go together');
  return {
    endpoint,
    protocol,
    ...(v.user === undefined ? {} : { user: v.user }),
    ...(v['password-file'] === undefined ? {} : { passwordFile: v['password-file'] }),
    ...(v['ca-file'] === undefined ? {} : { caFile: v['ca-file'] }),
    ...(v['server-name'] === undefined ? {} : { serverName: v['server-name'] }),
    insecure: v.insecure ?? false,
    bodyBytes: v['body-size'] === undefined ? DEFAULT_BODY_BYTES : unit(parseBytes, v['body-size'], '--body-size'),
  };
}

function unit(parse: typeof parseBytes, text: string, flag: string): number {
  const result = parse(text);
  if (!result.ok) throw new UsageError(`${flag}: ${result.message}`);
  if (result.value <= 0) throw new UsageError(`${flag} must be positive`);
  return result.value;
}
