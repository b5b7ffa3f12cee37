// V8's old-generation marking mode for a collector process. A collector's heap is small (~10–20 MB) while
// request bodies churn hundreds of MB/s of external memory. V8 then starts incremental marking each time
// the old generation's room left falls below the young generation's capacity, which at this heap size is
// almost always: measured (bench/load, `compression: none`, one core) 28 full collections per million
// spans and ~30 % of the CPU per span. With incremental marking off, V8 marks only when the old generation
// reaches its limit: 6 per million, 1.3 → 0.9 CPU-s per million spans. The cost is an atomic pause per
// mark, a few ms at this heap size. A process holding a trace store (jaeger_storage: hundreds of MB of
// heap) keeps incremental marking, whose short steps keep its query latency flat.
import { setFlagsFromString } from 'node:v8';
import type { ResolvedConfig } from '../config/types.ts';

/** `incremental`: V8's default. `atomic`: old-generation marking in one pause, only at the heap limit. */
export type GcMode = 'incremental' | 'atomic';

/** The environment variable that overrides the choice: `incremental` or `atomic`. */
export const GC_MODE_ENV = 'TELEGATE_GC_MODE';

/** Extension types whose heap is large enough that a whole-heap pause would show in their latency. */
const LARGE_HEAP_EXTENSIONS = new Set(['jaeger_storage']);

/** The mode for a process running `config`, and why (for the debug log). */
export function gcModeFor(
  config: ResolvedConfig,
  env: NodeJS.ProcessEnv = process.env,
): { mode: GcMode; reason: string } {
  const forced = env[GC_MODE_ENV];
  if (forced === 'incremental' || forced === 'atomic') return { mode: forced, reason: `${GC_MODE_ENV}=${forced}` };
  for (const { id } of config.extensions.values()) {
    if (LARGE_HEAP_EXTENSIONS.has(id.type))
      return { mode: 'incremental', reason: `extension ${id.type} holds a store` };
  }
  return { mode: 'atomic', reason: 'no component holds a large heap' };
}

/** A value of {@link GC_MODE_ENV} that is neither mode, for a startup warning; undefined when fine. */
export function invalidGcModeEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env[GC_MODE_ENV];
  return v === undefined || v === '' || v === 'incremental' || v === 'atomic' ? undefined : v;
}

/** Applies `mode` to this process's V8 (a runtime flag V8 reads each time it decides to start marking). */
export function applyGcMode(mode: GcMode): void {
  setFlagsFromString(mode === 'atomic' ? '--no-incremental-marking' : '--incremental-marking');
}
