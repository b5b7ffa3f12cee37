// What `telegate gen` runs: one options object per run, filled from telemetrygen's flags (flags.ts) or
// by a library caller (runGenerator). Defaults are telemetrygen's (cmd/telemetrygen/internal/common
// and pkg/{traces,metrics,logs}/config.go); telegate's additions are marked.
import type { AttrValue } from './attributes.ts';

export const GEN_SIGNALS = ['traces', 'metrics', 'logs'] as const;
export type GenSignal = (typeof GEN_SIGNALS)[number];
export const METRIC_TYPES = ['Gauge', 'Sum', 'Histogram'] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

/** Everything one run needs; see DEFAULTS and flags.ts for each field's flag. */
export interface GenOptions {
  readonly signal: GenSignal;
  /** host:port (gRPC) or host:port / URL (HTTP); '' = telemetrygen's default for the protocol. */
  readonly endpoint: string;
  readonly insecure: boolean;
  readonly insecureSkipVerify: boolean;
  readonly http: boolean;
  /** '' = /v1/<signal>. */
  readonly httpPath: string;
  readonly headers: Readonly<Record<string, string>>;
  /** telegate: `user:pass` sent as `authorization: Basic …`. */
  readonly basicAuth: string;
  /** telegate: OAuth2 client credentials; with a token URL, a token is fetched at start and sent as Bearer. */
  readonly oauth2: GenOAuth2;
  readonly resourceAttributes: readonly (readonly [string, AttrValue])[];
  readonly telemetryAttributes: readonly (readonly [string, AttrValue])[];
  readonly service: string;
  readonly caCert: string;
  readonly mtls: boolean;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly allowExportFailures: boolean;
  readonly workers: number;
  /** Items (spans, data points, log records) per second per worker; 0 = unthrottled. */
  readonly rate: number;
  /** 0 = bounded by `count`; Infinity = until interrupted. */
  readonly durationMs: number;
  readonly intervalMs: number;
  /** Traces / metrics / logs per worker when no duration is given. */
  readonly count: number;
  readonly childSpans: number;
  /** OTLP Status.code: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  readonly batch: boolean;
  /** telegate: most items in one request (the Go SDK batch processor's 512). */
  readonly batchSize: number;
  readonly spanDurationNs: number;
  /** telegate: '' or 'shop' (a front end calling services and a database). */
  readonly scenario: string;
  /** telegate: services in the scenario (3–64). */
  readonly services: number;
  readonly metricName: string;
  readonly metricType: MetricType;
  /** OTLP AggregationTemporality: 1 delta, 2 cumulative. */
  readonly temporality: number;
  readonly body: string;
  readonly severityText: string;
  readonly severityNumber: number;
  /** Hex, or '' for none (logs; metrics exemplars are not generated). */
  readonly traceId: string;
  readonly spanId: string;
  /** telegate: in-flight requests per worker. */
  readonly inflight: number;
  /** telegate: per-request deadline. */
  readonly timeoutMs: number;
  /** telegate: print the summary as one JSON line too. */
  readonly summaryJson: boolean;
}

/** The --otlp-oauth2-* flags (telegate); `tokenUrl` '' = off. */
export interface GenOAuth2 {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clientSecretFile: string;
  readonly scopes: readonly string[];
}

/** telemetrygen's defaults (traces); `defaultsFor` adjusts the per-signal ones. */
export const DEFAULTS: GenOptions = {
  signal: 'traces',
  endpoint: '',
  insecure: false,
  insecureSkipVerify: false,
  http: false,
  httpPath: '',
  headers: {},
  basicAuth: '',
  oauth2: { tokenUrl: '', clientId: '', clientSecret: '', clientSecretFile: '', scopes: [] },
  resourceAttributes: [],
  telemetryAttributes: [],
  service: 'telemetrygen',
  caCert: '',
  mtls: false,
  clientCert: '',
  clientKey: '',
  allowExportFailures: false,
  workers: 1,
  rate: 0,
  durationMs: 0,
  intervalMs: 1000,
  count: 1,
  childSpans: 1,
  statusCode: 0,
  batch: true,
  batchSize: 512,
  spanDurationNs: 123_000,
  scenario: '',
  services: 6,
  metricName: 'gen',
  metricType: 'Gauge',
  temporality: 2,
  body: 'the message',
  severityText: 'Info',
  severityNumber: 9,
  traceId: '',
  spanId: '',
  inflight: 4,
  timeoutMs: 10_000,
  summaryJson: false,
};

/** The defaults for `signal`: metrics default to 1 per second per worker, as telemetrygen's do. */
export function defaultsFor(signal: GenSignal): GenOptions {
  return { ...DEFAULTS, signal, rate: signal === 'metrics' ? 1 : 0 };
}

/** The endpoint to dial: the flag, or localhost:4317 (gRPC) / localhost:4318 (HTTP). */
export function endpointOf(o: GenOptions): string {
  if (o.endpoint !== '') return o.endpoint;
  return o.http ? 'localhost:4318' : 'localhost:4317';
}

/** The HTTP path: the flag, or /v1/<signal>. */
export function httpPathOf(o: GenOptions): string {
  return o.httpPath !== '' ? o.httpPath : `/v1/${o.signal}`;
}
