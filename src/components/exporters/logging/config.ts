// The deprecated logging exporter's config, as Go's loggingexporter.Config before its removal (v0.111):
// `loglevel` (deprecated there too) maps to a verbosity; `verbosity` and `loglevel` exclude each other.
import Type, { type Static } from 'typebox';
import type { Verbosity } from '../debug/config.ts';

/** The logging exporter schema. */
export const LoggingExporterConfigSchema = Type.Object(
  {
    loglevel: Type.Optional(
      Type.String({ description: 'Deprecated: debug → detailed, info → normal, warn/error → basic. Use verbosity.' }),
    ),
    verbosity: Type.Optional(
      Type.Union([Type.Literal('basic'), Type.Literal('normal'), Type.Literal('detailed')], {
        description: 'basic, normal (default) or detailed, as the debug exporter.',
      }),
    ),
    sampling_initial: Type.Integer({ default: 2, description: 'Messages logged each second before sampling starts.' }),
    sampling_thereafter: Type.Integer({
      default: 500,
      description: 'After sampling_initial, log every Nth message each second.',
    }),
  },
  { additionalProperties: false, description: 'Deprecated alias of the debug exporter.' },
);

/** The parsed logging exporter config. */
export type LoggingExporterConfig = Static<typeof LoggingExporterConfigSchema>;

const LEVELS: Record<string, Verbosity> = {
  debug: 'detailed',
  info: 'normal',
  warn: 'basic',
  error: 'basic',
  dpanic: 'basic',
  panic: 'basic',
  fatal: 'basic',
};

/** Go's mapLevel: a zap level name to a verbosity, or undefined when it is not a level. */
export function verbosityOfLogLevel(level: string): Verbosity | undefined {
  return LEVELS[level.toLowerCase()];
}

/** The verbosity the config means (Go's default was normal). */
export function resolveVerbosity(cfg: LoggingExporterConfig): Verbosity {
  if (cfg.verbosity !== undefined) return cfg.verbosity;
  return cfg.loglevel === undefined ? 'normal' : (verbosityOfLogLevel(cfg.loglevel) ?? 'normal');
}

/** Go's Unmarshal / Validate rules, as [path, message]. */
export function validateLoggingExporterConfig(config: unknown): [string, string][] {
  const cfg = config as LoggingExporterConfig;
  if (cfg.loglevel !== undefined && cfg.verbosity !== undefined) {
    return [['loglevel', "'loglevel' and 'verbosity' are incompatible. Use only 'verbosity' instead"]];
  }
  if (cfg.loglevel !== undefined && verbosityOfLogLevel(cfg.loglevel) === undefined) {
    return [['loglevel', `failed to map 'loglevel': log level "${cfg.loglevel}" is not supported`]];
  }
  return [];
}
