// The `jaeger_query` extension's config, in Jaeger v2's shape: `storage.traces` names the
// jaeger_storage backend to read, `http` is the endpoint of the API and the UI (default
// 0.0.0.0:16686, as Jaeger), `base_path` puts both below a prefix. Jaeger's gRPC query API, archive
// storage and metrics storage are not served by telegate and are refused when configured.
import Type, { type Static } from 'typebox';
import { AnyValue, Duration } from '../../../config/blocks/primitives.ts';
import { httpServerProperties } from '../../../config/blocks/http-server.ts';

/** Jaeger's query HTTP port. */
export const DEFAULT_QUERY_ENDPOINT = '0.0.0.0:16686';

export const JaegerQueryConfigSchema = Type.Object(
  {
    storage: Type.Object(
      {
        traces: Type.String({ default: '', description: 'The jaeger_storage backend to read traces from (required).' }),
        traces_archive: Type.Optional(
          Type.String({
            description:
              'The jaeger_storage backend traces are archived into (POST /api/archive/{id}) and read back from.',
          }),
        ),
        metrics: Type.Optional(
          Type.String({ description: 'Metric storage (SPM); not supported by telegate: must be absent.' }),
        ),
      },
      { default: {}, additionalProperties: false, description: 'Which jaeger_storage backends to read.' },
    ),
    ui: Type.Object(
      {
        config_file: Type.Optional(
          Type.String({ description: 'Jaeger UI config file; accepted, not read by telegate.' }),
        ),
        assets_path: Type.Optional(
          Type.String({ description: 'Jaeger UI assets; accepted, telegate serves its own UI.' }),
        ),
        log_access: Type.Boolean({ default: false, description: 'Log every request at debug level.' }),
      },
      { default: {}, additionalProperties: false, description: 'The web UI.' },
    ),
    base_path: Type.String({ default: '/', description: 'Path prefix of the API and UI (e.g. /jaeger).' }),
    max_clock_skew_adjust: Duration({
      default: '0s',
      description: 'Accepted for compatibility; telegate does not adjust clock skew.',
    }),
    enable_tracing: Type.Boolean({ default: false, description: 'Accepted for compatibility; no effect.' }),
    http: Type.Object(httpServerProperties(DEFAULT_QUERY_ENDPOINT), {
      default: {},
      additionalProperties: false,
      description: 'The HTTP endpoint of the query API and UI.',
    }),
    grpc: Type.Optional(
      AnyValue({ description: "Jaeger's gRPC query API; not supported by telegate: must be absent." }),
    ),
  },
  { additionalProperties: false, description: 'Jaeger query: the HTTP API (Jaeger-compatible) and the web UI.' },
);

export type JaegerQueryConfig = Static<typeof JaegerQueryConfigSchema>;

export function validateJaegerQueryConfig(config: unknown): [string, string][] {
  const cfg = config as JaegerQueryConfig;
  const problems: [string, string][] = [];
  if (cfg.storage.traces === '')
    problems.push(['storage.traces', 'storage.traces is required: name a jaeger_storage backend']);
  if (cfg.storage.metrics !== undefined)
    problems.push(['storage.metrics', 'metric storage (SPM) is not supported by telegate; remove storage.metrics']);
  if (cfg.grpc !== undefined)
    problems.push([
      'grpc',
      "Jaeger's gRPC query API is not supported by telegate (it serves the HTTP API); remove grpc",
    ]);
  if (cfg.http.auth !== undefined)
    problems.push([
      'http.auth',
      'auth on the query endpoint is not supported yet; put it behind an authenticating proxy',
    ]);
  if (!cfg.base_path.startsWith('/')) problems.push(['base_path', 'base_path must start with /']);
  return problems;
}

export function jaegerQueryEndpoints(config: unknown): { path: string; endpoint: string }[] {
  const cfg = config as JaegerQueryConfig;
  return [{ path: 'http.endpoint', endpoint: cfg.http.endpoint }];
}
