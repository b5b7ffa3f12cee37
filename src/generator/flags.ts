// telemetrygen's command line for `telegate gen traces|metrics|logs`: pflag syntax (`--flag value`,
// `--flag=value`, booleans as `--flag` or `--flag=false`, repeatable key=value flags), the same names,
// defaults and meanings, plus telegate's additions (see FLAGS). Unknown flags are refused, not ignored.
import { parseDuration } from '../config/units.ts';
import { headerValue, parseKeyValue, type AttrValue } from './attributes.ts';
import { defaultsFor, GEN_SIGNALS, METRIC_TYPES, type GenOptions, type GenSignal, type MetricType } from './options.ts';

type Mutable = { -readonly [K in keyof GenOptions]: GenOptions[K] };
type Kind = 'bool' | 'value';
interface FlagSpec {
  readonly kind: Kind;
  readonly signals?: readonly GenSignal[];
  readonly set: (o: Mutable, value: string) => void;
}

const int = (name: string, v: string, min = 0): number => {
  if (!/^[+-]?\d+$/.test(v) || Number(v) < min) throw new Error(`--${name}: "${v}" is not an integer ≥ ${min}`);
  return Number(v);
};
const bool = (name: string, v: string): boolean => {
  if (v === 'true' || v === '1' || v === '') return true;
  if (v === 'false' || v === '0') return false;
  throw new Error(`--${name}: "${v}" is not true or false`);
};
const duration = (name: string, v: string): number => {
  const r = parseDuration(v);
  if (!r.ok || r.value < 0) throw new Error(`--${name}: ${r.ok ? 'must not be negative' : r.message}`);
  return r.value;
};
const push = (list: readonly (readonly [string, AttrValue])[], v: string): (readonly [string, AttrValue])[] => [
  ...list.filter(([k]) => k !== parseKeyValue(v)[0]),
  parseKeyValue(v),
];

// Status codes as telemetrygen reads them (Go's codes: Unset 0, Error 1, Ok 2) → OTLP's (Ok 1, Error 2).
const STATUS: Readonly<Record<string, number>> = { unset: 0, '0': 0, error: 2, '1': 2, ok: 1, '2': 1 };

const TRACES = ['traces'] as const;
const METRICS = ['metrics'] as const;
const LOGS = ['logs'] as const;

/** Every flag: telemetrygen's first, then telegate's. */
export const FLAGS: Readonly<Record<string, FlagSpec>> = {
  workers: { kind: 'value', set: (o, v) => (o.workers = int('workers', v, 1)) },
  rate: {
    kind: 'value',
    set: (o, v) => {
      if (!/^\d+(\.\d+)?$/.test(v)) throw new Error(`--rate: "${v}" is not a number ≥ 0`);
      o.rate = Number(v);
    },
  },
  duration: { kind: 'value', set: (o, v) => (o.durationMs = v === 'inf' ? Infinity : duration('duration', v)) },
  interval: { kind: 'value', set: (o, v) => (o.intervalMs = Math.max(100, duration('interval', v))) },
  'otlp-endpoint': { kind: 'value', set: (o, v) => (o.endpoint = v) },
  'otlp-insecure': { kind: 'bool', set: (o, v) => (o.insecure = bool('otlp-insecure', v)) },
  'otlp-insecure-skip-verify': {
    kind: 'bool',
    set: (o, v) => (o.insecureSkipVerify = bool('otlp-insecure-skip-verify', v)),
  },
  'otlp-http': { kind: 'bool', set: (o, v) => (o.http = bool('otlp-http', v)) },
  'otlp-http-url-path': { kind: 'value', set: (o, v) => (o.httpPath = v) },
  service: { kind: 'value', set: (o, v) => (o.service = v) },
  'otlp-header': { kind: 'value', set: setHeader },
  'otlp-attributes': { kind: 'value', set: (o, v) => (o.resourceAttributes = push(o.resourceAttributes, v)) },
  'telemetry-attributes': {
    kind: 'value',
    set: (o, v) => (o.telemetryAttributes = push(o.telemetryAttributes, v)),
  },
  'ca-cert': { kind: 'value', set: (o, v) => (o.caCert = v) },
  mtls: { kind: 'bool', set: (o, v) => (o.mtls = bool('mtls', v)) },
  'client-cert': { kind: 'value', set: (o, v) => (o.clientCert = v) },
  'client-key': { kind: 'value', set: (o, v) => (o.clientKey = v) },
  'allow-export-failures': {
    kind: 'bool',
    set: (o, v) => (o.allowExportFailures = bool('allow-export-failures', v)),
  },
  traces: { kind: 'value', signals: TRACES, set: (o, v) => (o.count = int('traces', v)) },
  'child-spans': { kind: 'value', signals: TRACES, set: (o, v) => (o.childSpans = int('child-spans', v)) },
  'status-code': { kind: 'value', signals: TRACES, set: setStatus },
  batch: { kind: 'bool', signals: TRACES, set: (o, v) => (o.batch = bool('batch', v)) },
  'span-duration': {
    kind: 'value',
    signals: TRACES,
    set: (o, v) => (o.spanDurationNs = Math.round(duration('span-duration', v) * 1e6)),
  },
  metrics: { kind: 'value', signals: METRICS, set: (o, v) => (o.count = int('metrics', v)) },
  'otlp-metric-name': { kind: 'value', signals: METRICS, set: (o, v) => (o.metricName = v) },
  'metric-type': { kind: 'value', signals: METRICS, set: setMetricType },
  'aggregation-temporality': { kind: 'value', signals: METRICS, set: setTemporality },
  logs: { kind: 'value', signals: LOGS, set: (o, v) => (o.count = int('logs', v)) },
  body: { kind: 'value', signals: LOGS, set: (o, v) => (o.body = v) },
  'severity-text': { kind: 'value', signals: LOGS, set: (o, v) => (o.severityText = v) },
  'severity-number': { kind: 'value', signals: LOGS, set: setSeverity },
  'trace-id': { kind: 'value', signals: LOGS, set: (o, v) => (o.traceId = hexId('trace-id', v, 16)) },
  'span-id': { kind: 'value', signals: LOGS, set: (o, v) => (o.spanId = hexId('span-id', v, 8)) },
  // telegate's additions
  'otlp-basic-auth': { kind: 'value', set: setBasicAuth },
  'otlp-oauth2-token-url': { kind: 'value', set: (o, v) => (o.oauth2 = { ...o.oauth2, tokenUrl: v }) },
  'otlp-oauth2-client-id': { kind: 'value', set: (o, v) => (o.oauth2 = { ...o.oauth2, clientId: v }) },
  'otlp-oauth2-client-secret': { kind: 'value', set: (o, v) => (o.oauth2 = { ...o.oauth2, clientSecret: v }) },
  'otlp-oauth2-client-secret-file': {
    kind: 'value',
    set: (o, v) => (o.oauth2 = { ...o.oauth2, clientSecretFile: v }),
  },
  'otlp-oauth2-scopes': {
    kind: 'value',
    set: (o, v) => (o.oauth2 = { ...o.oauth2, scopes: v.split(',').filter((x) => x !== '') }),
  },
  'batch-size': { kind: 'value', set: (o, v) => (o.batchSize = int('batch-size', v, 1)) },
  scenario: { kind: 'value', signals: TRACES, set: setScenario },
  services: { kind: 'value', signals: TRACES, set: setServices },
  inflight: { kind: 'value', set: (o, v) => (o.inflight = Math.min(64, int('inflight', v, 1))) },
  timeout: { kind: 'value', set: (o, v) => (o.timeoutMs = duration('timeout', v)) },
  'summary-json': { kind: 'bool', set: (o, v) => (o.summaryJson = bool('summary-json', v)) },
};

function setHeader(o: Mutable, v: string): void {
  const [key, value] = parseKeyValue(v);
  const text = headerValue(value);
  if (text === undefined) throw new Error(`--otlp-header: ${key}: a header value is a "string" or true/false`);
  o.headers = { ...o.headers, [key.toLowerCase()]: text };
}

function setStatus(o: Mutable, v: string): void {
  const code = STATUS[v.toLowerCase()];
  if (code === undefined) throw new Error(`--status-code: "${v}" is not one of Unset, Error, Ok (or 0, 1, 2)`);
  o.statusCode = code;
}

function setMetricType(o: Mutable, v: string): void {
  const t = METRIC_TYPES.find((m) => m.toLowerCase() === v.toLowerCase());
  if (t === undefined) throw new Error(`--metric-type: "${v}" must be one of 'Gauge', 'Sum' or 'Histogram'`);
  o.metricType = t satisfies MetricType;
}

function setTemporality(o: Mutable, v: string): void {
  const t = v.toLowerCase();
  if (t !== 'delta' && t !== 'cumulative')
    throw new Error(`--aggregation-temporality: "${v}" must be one of 'delta' or 'cumulative'`);
  o.temporality = t === 'delta' ? 1 : 2;
}

function setSeverity(o: Mutable, v: string): void {
  const n = int('severity-number', v, 1);
  if (n > 24) throw new Error('--severity-number: must be from 1 to 24 (inclusive)');
  o.severityNumber = n;
}

function setBasicAuth(o: Mutable, v: string): void {
  if (!v.includes(':')) throw new Error('--otlp-basic-auth: expected user:password');
  o.basicAuth = v;
}

function setScenario(o: Mutable, v: string): void {
  if (v !== 'shop') throw new Error(`--scenario: unknown scenario "${v}" (available: shop)`);
  o.scenario = v;
}

function setServices(o: Mutable, v: string): void {
  const n = int('services', v, 3);
  if (n > 64) throw new Error('--services: at most 64');
  o.services = n;
}

function hexId(name: string, v: string, bytes: number): string {
  if (!new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(v))
    throw new Error(`--${name}: must be ${bytes * 2} hex characters`);
  return v.toLowerCase();
}

/** Parses `telegate gen <signal> [flags]`; throws an Error saying what is wrong. */
export function parseGenArgs(argv: readonly string[]): GenOptions {
  const [signal, ...rest] = argv;
  if (!(GEN_SIGNALS as readonly (string | undefined)[]).includes(signal))
    throw new Error(`expected a signal: ${GEN_SIGNALS.join(', ')}${signal === undefined ? '' : ` (got "${signal}")`}`);
  const o: Mutable = { ...defaultsFor(signal as GenSignal) };
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] ?? '';
    const m = /^--?([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(token);
    if (m === null) throw new Error(`unexpected argument "${token}"`);
    const [, name = '', inline] = m;
    const spec = FLAGS[name];
    if (spec === undefined || (spec.signals !== undefined && !spec.signals.includes(o.signal)))
      throw new Error(`unknown flag --${name} for gen ${o.signal}`);
    let value = inline;
    if (value === undefined && spec.kind === 'value') {
      value = rest[++i];
      if (value === undefined) throw new Error(`flag needs an argument: --${name}`);
    }
    spec.set(o, value ?? '');
  }
  return check(o);
}

// Rules across flags, as telemetrygen's Validate and its TLS set-up apply them.
function check(o: Mutable): GenOptions {
  if (o.durationMs <= 0 && o.count <= 0)
    throw new Error(`either \`${o.signal}\` or \`duration\` must be greater than 0`);
  if (o.mtls && (o.clientCert === '' || o.clientKey === ''))
    throw new Error('--mtls needs --client-cert and --client-key');
  if (o.scenario !== '' && o.childSpans !== 1) throw new Error('--child-spans does not apply to --scenario');
  checkOAuth2(o.oauth2);
  if (o.oauth2.tokenUrl !== '' && o.basicAuth !== '')
    throw new Error('--otlp-basic-auth and --otlp-oauth2-token-url both set the authorization header: choose one');
  return o;
}

// The oauth2client extension's rules, with the flag names.
function checkOAuth2(a: GenOptions['oauth2']): void {
  const any = a.clientId !== '' || a.clientSecret !== '' || a.clientSecretFile !== '' || a.scopes.length > 0;
  if (a.tokenUrl === '') {
    if (any) throw new Error('--otlp-oauth2-* flags need --otlp-oauth2-token-url');
    return;
  }
  if (!URL.canParse(a.tokenUrl) || !/^https?:$/.test(new URL(a.tokenUrl).protocol))
    throw new Error(`--otlp-oauth2-token-url: "${a.tokenUrl}" is not an http(s) URL`);
  if (a.clientId === '') throw new Error('--otlp-oauth2-token-url needs --otlp-oauth2-client-id');
  if (a.clientSecret === '' && a.clientSecretFile === '')
    throw new Error('--otlp-oauth2-token-url needs --otlp-oauth2-client-secret or --otlp-oauth2-client-secret-file');
}
