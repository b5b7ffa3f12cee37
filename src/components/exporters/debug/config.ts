// The debug exporter's config, as Go's debugexporter.Config: verbosity, zap-style sampling, and an
// optional sending_queue (off by default). Output goes to the service's logger (use_internal_logger).
import Type, { type Static } from 'typebox';
import { defaultQueueConfig, queueBlock, validateQueue } from '../../../config/blocks/queue.ts';

/** Go's configtelemetry levels the debug exporter accepts. */
export type Verbosity = 'basic' | 'normal' | 'detailed';

/** The debug exporter schema. */
export const DebugExporterConfigSchema = Type.Object(
  {
    verbosity: Type.Union([Type.Literal('basic'), Type.Literal('normal'), Type.Literal('detailed')], {
      default: 'basic',
      description:
        'basic: one line of counts per batch; normal: one line per span, data point or log record; detailed: everything.',
    }),
    sampling_initial: Type.Integer({ default: 2, description: 'Messages logged each second before sampling starts.' }),
    sampling_thereafter: Type.Integer({
      default: 1,
      description: 'After sampling_initial, log every Nth message each second; 1 logs all.',
    }),
    use_internal_logger: Type.Boolean({
      default: true,
      description: "Write through the collector's logger (telegate always does; false is accepted for compatibility).",
    }),
    sending_queue: queueBlock(false),
  },
  { additionalProperties: false, description: 'Prints telemetry to the log for debugging.' },
);

/** The parsed debug exporter config. */
export type DebugExporterConfig = Static<typeof DebugExporterConfigSchema>;

/** Go's createDefaultConfig. */
export function defaultDebugExporterConfig(): DebugExporterConfig {
  return {
    verbosity: 'basic',
    sampling_initial: 2,
    sampling_thereafter: 1,
    use_internal_logger: true,
    sending_queue: defaultQueueConfig(false),
  };
}

/** Cross-field rules, as [path, message]. */
export function validateDebugExporterConfig(config: unknown): [string, string][] {
  const cfg = config as DebugExporterConfig;
  const problems: [string, string][] = [];
  if (cfg.sampling_initial < 0) problems.push(['sampling_initial', 'sampling_initial must not be negative']);
  if (cfg.sampling_thereafter < 0) problems.push(['sampling_thereafter', 'sampling_thereafter must not be negative']);
  for (const [path, message] of validateQueue(cfg.sending_queue)) problems.push([`sending_queue.${path}`, message]);
  return problems;
}
