// The otlphttp exporter's config, key for key as Go's otlphttpexporter.Config: the squashed HTTP client
// settings (endpoint, tls, headers, timeout 30s, gzip, auth, pool limits), the per-signal URLs,
// `encoding` (proto or json), retry_on_failure and sending_queue.
import Type, { type Static } from 'typebox';
import { httpClientProperties, validateHttpClient, type HttpClientConfig } from '../../../config/blocks/http-client.ts';
import { RetryBlock, defaultRetryConfig, validateRetry } from '../../../config/blocks/retry.ts';
import { defaultQueueConfig, queueBlock, validateQueue } from '../../../config/blocks/queue.ts';
import { defaultTlsClientConfig } from '../../../config/blocks/tls-client.ts';
import { SIGNALS, type Signal } from '../../../contracts/signal.ts';
import { urlProblem } from './signal-url.ts';

/** The wire encodings of request bodies (Go's EncodingType). */
export const ENCODINGS = ['proto', 'json'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** The otlphttp exporter schema. */
export const OtlpHttpExporterConfigSchema = Type.Object(
  {
    ...httpClientProperties({ compression: 'gzip', timeout: '30s', writeBufferSize: 512 * 1024 }),
    traces_endpoint: Type.String({
      default: '',
      description: 'The URL to send traces to; default: endpoint + /v1/traces.',
    }),
    metrics_endpoint: Type.String({
      default: '',
      description: 'The URL to send metrics to; default: endpoint + /v1/metrics.',
    }),
    logs_endpoint: Type.String({ default: '', description: 'The URL to send logs to; default: endpoint + /v1/logs.' }),
    encoding: Type.String({
      default: 'proto',
      description: 'Request body encoding: proto (application/x-protobuf) or json (OTLP/JSON).',
    }),
    retry_on_failure: RetryBlock,
    sending_queue: queueBlock(true),
  },
  { additionalProperties: false, description: 'Sends OTLP over HTTP (protobuf or JSON) to a collector or backend.' },
);

/** The parsed otlphttp exporter config (durations in ms). */
export type OtlpHttpExporterConfig = Static<typeof OtlpHttpExporterConfigSchema> & HttpClientConfig;

/** The per-signal URL key of each signal. */
export const SIGNAL_ENDPOINT_KEY: Record<Signal, 'traces_endpoint' | 'metrics_endpoint' | 'logs_endpoint'> = {
  traces: 'traces_endpoint',
  metrics: 'metrics_endpoint',
  logs: 'logs_endpoint',
};

/** Cross-field rules: Go's Config.Validate, its URL and encoding checks, and those of its blocks. */
export function validateOtlpHttpExporterConfig(config: unknown): [string, string][] {
  const cfg = config as OtlpHttpExporterConfig;
  const keys = ['endpoint', ...SIGNALS.map((s) => SIGNAL_ENDPOINT_KEY[s])] as const;
  if (keys.every((k) => cfg[k].trim() === '')) return [['endpoint', 'at least one endpoint must be specified']];
  const problems: [string, string][] = [];
  for (const key of keys) {
    const problem = cfg[key] === '' ? undefined : urlProblem(cfg[key]);
    if (problem !== undefined) problems.push([key, `${key} must be a valid URL: ${problem}`]);
  }
  if (!(ENCODINGS as readonly string[]).includes(cfg.encoding))
    problems.push(['encoding', `invalid encoding type: ${cfg.encoding} (use proto or json)`]);
  problems.push(...validateHttpClient(cfg));
  for (const [path, message] of validateRetry(cfg.retry_on_failure))
    problems.push([`retry_on_failure.${path}`, message]);
  for (const [path, message] of validateQueue(cfg.sending_queue)) problems.push([`sending_queue.${path}`, message]);
  return problems;
}

/** Go's createDefaultConfig with `endpoint` set, as the schema's defaults parse. */
export function defaultOtlpHttpExporterConfig(endpoint: string): OtlpHttpExporterConfig {
  return {
    endpoint,
    proxy_url: '',
    tls: defaultTlsClientConfig(),
    timeout: 30_000,
    compression: 'gzip',
    compression_params: { level: 0 },
    read_buffer_size: 0,
    write_buffer_size: 512 * 1024,
    max_idle_conns: 100,
    max_idle_conns_per_host: 0,
    max_conns_per_host: 0,
    idle_conn_timeout: 90_000,
    disable_keep_alives: false,
    auth: undefined,
    traces_endpoint: '',
    metrics_endpoint: '',
    logs_endpoint: '',
    encoding: 'proto',
    retry_on_failure: defaultRetryConfig(),
    sending_queue: defaultQueueConfig(true),
  };
}
