// The collector runtime the manifests run: telegate's own image, or the stock OpenTelemetry Collector
// contrib image (the seed's choice). Configs are written for both; the few telegate-only keys are
// declared as extras, left out on otelcol-contrib and reported, so nothing is dropped silently.
import { CONFIG_PATH } from './names.ts';
import type { K8sSpec } from './spec.ts';

/** The runtimes `--runtime` accepts. */
export const RUNTIMES = ['telegate', 'otelcol-contrib'] as const;
/** One runtime. */
export type Runtime = (typeof RUNTIMES)[number];

/** A collector config as rendered: plain YAML-able data. */
export type CollectorConfig = Record<string, unknown>;

/** A key only telegate understands, set at `path` of a config. */
export interface TelegateOnly {
  readonly path: readonly string[];
  readonly value: unknown;
  readonly why: string;
}

/** A config with its telegate-only extras, before a runtime is chosen. */
export interface ConfigDraft {
  readonly config: CollectorConfig;
  readonly extras: readonly TelegateOnly[];
}

/** The image collector pods run. */
export function collectorImage(spec: K8sSpec, runtime: Runtime): string {
  return runtime === 'telegate' ? spec.image : spec.contrib_image;
}

/** The container arguments: both binaries take the Go collector's --config flag. */
export function collectorArgs(): string[] {
  return [`--config=${CONFIG_PATH}`];
}

/** The config for `runtime`: extras merged in for telegate, left out (and named) for contrib. */
export function configFor(draft: ConfigDraft, runtime: Runtime): { config: CollectorConfig; leftOut: string[] } {
  if (runtime === 'otelcol-contrib')
    return { config: draft.config, leftOut: draft.extras.map((e) => `${e.path.join('.')} (${e.why})`) };
  const config = structuredClone(draft.config);
  for (const extra of draft.extras) setAt(config, extra.path, extra.value);
  return { config, leftOut: [] };
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((key) => {
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  });
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}
