// The `health_check` extension's config, with the keys and defaults of Go's healthcheckextension
// (opentelemetry-collector-contrib extension/healthcheckextension/config.go): an HTTP server block
// (endpoint localhost:13133, tls, …), `path`, `response_body`, and the deprecated
// `check_collector_pipeline`, which here counts failed exporter sends as Go meant it to.
import Type, { type Static } from 'typebox';
import { Duration, OptionalBlock } from '../../../config/blocks/primitives.ts';
import { httpServerProperties } from '../../../config/blocks/http-server.ts';

/** Go's default since v0.104 (component.UseLocalHostAsDefaultHost). */
export const DEFAULT_HEALTH_ENDPOINT = 'localhost:13133';

const ResponseBody = Type.Object(
  {
    healthy: Type.String({ default: '', description: 'Body sent with 200 while the collector is healthy.' }),
    unhealthy: Type.String({ default: '', description: 'Body sent with 503 (or 500) while it is not.' }),
  },
  {
    additionalProperties: false,
    description: 'Static bodies replacing the JSON status document (which is sent when this is absent).',
  },
);

const CheckCollectorPipeline = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description: 'Answer 500 while exporters fail more than exporter_failure_threshold times per interval.',
    }),
    interval: Duration({ default: '5m', description: 'The window in which exporter failures are counted.' }),
    exporter_failure_threshold: Type.Integer({
      default: 5,
      minimum: 0,
      description: 'Failed exporter sends within interval above which the collector is reported unhealthy.',
    }),
  },
  {
    default: {},
    additionalProperties: false,
    description: 'Deprecated in Go; counts failed exporter sends (after retries) and reports them as unhealthy.',
  },
);

/** The config schema. */
export const HealthCheckConfigSchema = Type.Object(
  {
    ...httpServerProperties(DEFAULT_HEALTH_ENDPOINT),
    path: Type.String({ default: '/', description: 'Path the status is served at (`/` answers on every path).' }),
    response_body: OptionalBlock(ResponseBody),
    check_collector_pipeline: CheckCollectorPipeline,
  },
  { additionalProperties: false, description: 'An HTTP endpoint for liveness and readiness probes.' },
);

/** The validated config (durations in ms). */
export type HealthCheckConfig = Static<typeof HealthCheckConfigSchema>;

/** Cross-field rules: [relative path, message]. */
export function validateHealthCheckConfig(config: unknown): [string, string][] {
  const cfg = config as HealthCheckConfig;
  const problems: [string, string][] = [];
  if (!cfg.path.startsWith('/')) problems.push(['path', 'path must start with /']);
  if (cfg.auth !== undefined)
    problems.push(['auth', 'auth on the health endpoint is not supported: probes carry no credentials']);
  if (cfg.check_collector_pipeline.enabled && cfg.check_collector_pipeline.interval <= 0)
    problems.push(['check_collector_pipeline.interval', 'interval must be greater than 0']);
  return problems;
}

/** The server address this config binds, for the address-conflict check. */
export function healthCheckEndpoints(config: unknown): { path: string; endpoint: string }[] {
  return [{ path: 'endpoint', endpoint: (config as HealthCheckConfig).endpoint }];
}
