// `service.telemetry`: validated against blocks/service.ts, then reduced to what telegate uses —
// log level and encoding, metrics level, and the metrics server address (the deprecated
// `metrics.address`, or the first `readers[].pull.exporter.prometheus` host and port).
import { TelemetrySchema, type TelemetryBlock } from './blocks/service.ts';
import type { MapEntry, Source } from './node.ts';
import type { IssueList } from './issues.ts';
import { validateConfig } from './validate.ts';
import type { TelemetrySettings } from './types.ts';

/** The Go collector's default metrics server (it writes `localhost:8888`). */
export const DEFAULT_METRICS_ADDRESS = '127.0.0.1:8888';

/** Telemetry settings plus where the metrics address was written, for conflict reports. */
export interface TelemetryResult {
  readonly settings: TelemetrySettings;
  readonly addressPath: string;
}

/** Resolves `service.telemetry`; undefined when it has errors (already reported). */
export function resolveTelemetry(
  entry: MapEntry | undefined,
  serviceSource: Source | undefined,
  issues: IssueList,
): TelemetryResult | undefined {
  const validated = validateConfig(
    TelemetrySchema,
    entry?.value,
    'service.telemetry',
    entry?.keySource ?? serviceSource,
  );
  issues.addAll(validated.issues);
  if (validated.value === undefined) return undefined;
  const block = validated.value as TelemetryBlock;
  const metrics = block.metrics;
  if (metrics.level !== 'none' && metrics.address === undefined && metrics.readers?.length === 0) {
    issues.error({
      path: 'service.telemetry.metrics.readers',
      source: entry?.keySource ?? serviceSource,
      message: 'collector telemetry metrics reader should exist when metric level is not none',
      hint: 'Add a pull reader, or set service.telemetry.metrics.level: none.',
      code: 'TG_CONFIG_VALUE',
    });
    return undefined;
  }
  const found = metrics.level === 'none' ? undefined : metricsAddress(metrics);
  const resource =
    typeof block.resource === 'object' && block.resource !== null ? (block.resource as Record<string, unknown>) : {};
  return {
    settings: {
      logs: { level: block.logs.level, encoding: block.logs.encoding },
      metrics: { level: metrics.level, address: found?.address },
      resource,
    },
    addressPath: found?.path ?? 'service.telemetry.metrics',
  };
}

// With readers but no Prometheus pull reader (only push readers) there is no metrics server.
function metricsAddress(metrics: TelemetryBlock['metrics']): { address: string; path: string } | undefined {
  if (metrics.address !== undefined) return { address: metrics.address, path: 'service.telemetry.metrics.address' };
  const readers = metrics.readers;
  if (readers === undefined) return { address: DEFAULT_METRICS_ADDRESS, path: 'service.telemetry.metrics' };
  for (const [i, reader] of readers.entries()) {
    const prom = dig(reader, ['pull', 'exporter', 'prometheus']);
    if (prom === undefined) continue;
    const host = dig(prom, ['host']);
    const port = dig(prom, ['port']);
    const h = typeof host === 'string' ? host : 'localhost';
    const p = typeof port === 'number' || typeof port === 'string' ? String(port) : '8888';
    return {
      address: `${h.includes(':') ? `[${h}]` : h}:${p}`,
      path: `service.telemetry.metrics.readers[${i}].pull.exporter.prometheus`,
    };
  }
  return undefined;
}

function dig(value: unknown, keys: readonly string[]): unknown {
  let v = value;
  for (const k of keys) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}
