// The `jaeger_storage` extension's config, in Jaeger v2's shape: named `backends` (also the older
// `trace_backends`), each with one storage type. telegate implements `memory` (`max_traces`, plus
// `max_bytes`, a byte budget of its own); Jaeger's other storage types are named and refused.
import Type from 'typebox';
import { AnyValue } from '../../../config/blocks/primitives.ts';
import { parseBytes } from '../../../config/units.ts';

/** Jaeger v2 storage types telegate does not implement. */
export const UNSUPPORTED_BACKENDS = [
  'badger',
  'cassandra',
  'elasticsearch',
  'opensearch',
  'grpc',
  'clickhouse',
  'kafka',
  'blackhole',
] as const;

/** Default `max_traces` (Jaeger requires it; telegate bounds an unset one). */
export const DEFAULT_MAX_TRACES = 100_000;
/** Default byte budget of a memory backend. */
export const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;

export const JaegerStorageConfigSchema = Type.Object(
  {
    backends: Type.Optional(
      AnyValue({
        description:
          'Named trace stores: `NAME: { memory: { max_traces: N, max_bytes: SIZE } }`. Only the memory type is supported.',
      }),
    ),
    trace_backends: Type.Optional(
      AnyValue({ description: 'The older spelling of `backends` (Jaeger v2 before 2.0); merged with it.' }),
    ),
    metric_backends: Type.Optional(
      AnyValue({ description: 'Jaeger metric stores (SPM); not supported by telegate: must be absent.' }),
    ),
  },
  { additionalProperties: false, description: 'Jaeger v2 trace storage: named in-memory trace stores.' },
);

export interface JaegerStorageConfig {
  backends?: unknown;
  trace_backends?: unknown;
  metric_backends?: unknown;
}

/** One memory backend, resolved. */
export interface MemoryBackend {
  readonly name: string;
  readonly maxTraces: number;
  readonly maxBytes: number;
}

type Problem = [string, string];

/** The backends, with every problem as [path, message]. */
export function resolveBackends(config: unknown): { backends: MemoryBackend[]; problems: Problem[] } {
  const cfg = config as JaegerStorageConfig;
  const problems: Problem[] = [];
  const backends: MemoryBackend[] = [];
  if (cfg.metric_backends !== undefined && cfg.metric_backends !== null)
    problems.push([
      'metric_backends',
      'Jaeger metric backends (SPM) are not supported by telegate; remove metric_backends',
    ]);
  for (const key of ['backends', 'trace_backends'] as const) {
    const map = cfg[key];
    if (map === undefined || map === null) continue;
    if (typeof map !== 'object' || Array.isArray(map)) {
      problems.push([key, `${key} must be a map of backend names to storage configs`]);
      continue;
    }
    for (const [name, value] of Object.entries(map as Record<string, unknown>)) {
      const at = `${key}.${name}`;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        problems.push([at, `backend "${name}" must be a map with one storage type (memory)`]);
        continue;
      }
      const types = Object.keys(value);
      for (const t of types) {
        if (t === 'memory') continue;
        if ((UNSUPPORTED_BACKENDS as readonly string[]).includes(t))
          problems.push([`${at}.${t}`, `the Jaeger v2 ${t} storage backend is not supported by telegate; use memory`]);
        else problems.push([`${at}.${t}`, `unknown storage type "${t}" (telegate supports memory)`]);
      }
      if (types.length === 0)
        problems.push([at, `backend "${name}" has no storage type: add memory: { max_traces: N }`]);
      if (types.length > 1 && types.includes('memory'))
        problems.push([at, `backend "${name}" must have exactly one storage type`]);
      if (!types.includes('memory')) continue;
      const mem = (value as Record<string, unknown>).memory ?? {};
      if (typeof mem !== 'object' || Array.isArray(mem)) {
        problems.push([`${at}.memory`, 'memory must be a map (max_traces, max_bytes)']);
        continue;
      }
      backends.push(resolveMemory(name, `${at}.memory`, mem as Record<string, unknown>, problems));
    }
  }
  const seen = new Set<string>();
  for (const b of backends) {
    if (seen.has(b.name)) problems.push([`trace_backends.${b.name}`, `backend "${b.name}" is declared twice`]);
    seen.add(b.name);
  }
  return { backends, problems };
}

function resolveMemory(name: string, at: string, mem: Record<string, unknown>, problems: Problem[]): MemoryBackend {
  let maxTraces = DEFAULT_MAX_TRACES;
  let maxBytes = DEFAULT_MAX_BYTES;
  for (const [k, v] of Object.entries(mem)) {
    if (k === 'max_traces') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
        problems.push([`${at}.max_traces`, 'max_traces must be a positive integer']);
      else maxTraces = v;
    } else if (k === 'max_bytes') {
      const parsed = typeof v === 'number' ? { ok: true as const, value: v } : parseBytes(String(v));
      if (!parsed.ok) problems.push([`${at}.max_bytes`, parsed.message]);
      else if (parsed.value <= 0) problems.push([`${at}.max_bytes`, 'max_bytes must be positive']);
      else maxBytes = parsed.value;
    } else problems.push([`${at}.${k}`, `unknown key "${k}" in memory (keys: max_traces, max_bytes)`]);
  }
  return { name, maxTraces, maxBytes };
}

/** The extension's validate hook. */
export function validateJaegerStorageConfig(config: unknown): Problem[] {
  return resolveBackends(config).problems;
}
