// The `jaeger_query` extension's config, in Jaeger v2's shape: `storage.traces` names the
// jaeger_storage backend to read, `http` is the endpoint of the API and the UI (default
// 0.0.0.0:16686, as Jaeger), `base_path` puts both below a prefix. Jaeger's gRPC query API, archive
// storage and metrics storage are not served by telegate and are refused when configured.
import Type, { type Static } from 'typebox';
import { AnyValue, Duration } from '../../../config/blocks/primitives.ts';
import { httpServerProperties } from '../../../config/blocks/http-server.ts';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../../../backend/api/query-limits.ts';

const MIB = 1024 * 1024;

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
    limits: Type.Object(
      {
        max_search_depth: Type.Integer({
          minimum: 1,
          default: DEFAULT_QUERY_LIMITS.maxSearchDepth,
          description:
            "Largest search `limit` (v3: `query.search_depth`) accepted; a larger one is answered 400. `limit=0` or none gets Jaeger's default, 100.",
        }),
        max_response_size_mib: Type.Number({
          exclusiveMinimum: 0,
          default: DEFAULT_QUERY_LIMITS.maxResponseBytes / MIB,
          description:
            'Most JSON one answer may hold, in MiB: a search stops there (and says so in `warnings`), a larger trace is cut.',
        }),
        max_concurrent_queries: Type.Integer({
          minimum: 1,
          default: DEFAULT_QUERY_LIMITS.maxConcurrent,
          description: 'Trace searches and reads running at once; more are answered 503 with Retry-After.',
        }),
        max_url_length: Type.Integer({
          minimum: 256,
          default: DEFAULT_QUERY_LIMITS.maxUrlBytes,
          description: 'Longest request URL (path and query) accepted; a longer one is answered 414.',
        }),
      },
      {
        default: {},
        additionalProperties: false,
        description: "Bounds of query work (telegate's; not in Jaeger): no query may stall ingestion or grow memory.",
      },
    ),
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
  if (!cfg.base_path.startsWith('/')) problems.push(['base_path', 'base_path must start with /']);
  return problems;
}

export function jaegerQueryEndpoints(config: unknown): { path: string; endpoint: string }[] {
  const cfg = config as JaegerQueryConfig;
  return [{ path: 'http.endpoint', endpoint: cfg.http.endpoint }];
}

/** The query API's limits from the config's `limits` block. */
export function queryLimitsOf(cfg: JaegerQueryConfig): QueryLimits {
  return {
    ...DEFAULT_QUERY_LIMITS,
    maxSearchDepth: cfg.limits.max_search_depth,
    maxResponseBytes: Math.floor(cfg.limits.max_response_size_mib * MIB),
    maxConcurrent: cfg.limits.max_concurrent_queries,
    maxUrlBytes: cfg.limits.max_url_length,
  };
}
