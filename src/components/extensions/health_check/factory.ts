// The `health_check` extension factory (Go's healthcheckextension): an HTTP endpoint for liveness and
// readiness probes, ready once every pipeline has started.
import type { ExtensionFactory } from '../../../contracts/component.ts';
import { HealthCheck } from './health-check.ts';
import {
  HealthCheckConfigSchema,
  healthCheckEndpoints,
  validateHealthCheckConfig,
  type HealthCheckConfig,
} from './config.ts';

/** `extensions: health_check:`. */
export const healthCheckFactory: ExtensionFactory<HealthCheckConfig> = {
  kind: 'extension',
  type: 'health_check',
  stability: { extension: 'beta' },
  description:
    'HTTP endpoint for liveness/readiness probes: 200 once every pipeline runs, 503 before and while stopping.',
  configSchema: HealthCheckConfigSchema,
  validate: validateHealthCheckConfig,
  endpoints: healthCheckEndpoints,
  create: (settings, config) => new HealthCheck(settings, config),
};
