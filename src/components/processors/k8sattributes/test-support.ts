// Shared by the k8sattributes tests and benchmark: a validated config from plain values, a processor
// with short timings, and an OTLP traces request with given Resource attributes.
import { fromPlain } from '../../../config/node.ts';
import { validateConfig } from '../../../config/validate.ts';
import type { Consumer } from '../../../contracts/consumer.ts';
import type { CreateSettings } from '../../../contracts/component.ts';
import { encodeRequest } from '../../../pdata/encode.ts';
import { K8sAttributesConfigSchema, type K8sAttributesConfig } from './config.ts';
import { DEFAULT_OPTIONS, K8sAttributesProcessor, type K8sAttributesOptions } from './k8sattributes-processor.ts';

/** The config with its defaults, as the loader would give it; throws on a schema problem. */
export function k8sConfig(raw: Record<string, unknown> = {}): K8sAttributesConfig {
  const r = validateConfig(K8sAttributesConfigSchema, fromPlain(raw, undefined), 'processors.k8sattributes', undefined);
  const errors = r.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0 || r.value === undefined) throw new Error(errors.map((e) => e.message).join('; '));
  return r.value as K8sAttributesConfig;
}

/** Fast timings so tests see backoff and relists in milliseconds. */
export function fastOptions(env: NodeJS.ProcessEnv, over: Partial<K8sAttributesOptions> = {}): K8sAttributesOptions {
  return {
    ...DEFAULT_OPTIONS,
    timings: { initialBackoffMs: 20, maxBackoffMs: 200, resyncMs: 3_600_000 },
    startWaitMs: 2000,
    env,
    ...over,
  };
}

/** A processor on a kubeconfig (the fake API server's). */
export function k8sProcessor(
  settings: CreateSettings,
  raw: Record<string, unknown>,
  next: Consumer,
  env: NodeJS.ProcessEnv,
  over: Partial<K8sAttributesOptions> = {},
): K8sAttributesProcessor {
  return new K8sAttributesProcessor(
    settings,
    k8sConfig({ auth_type: 'kubeConfig', ...raw }),
    next,
    fastOptions(env, over),
  );
}

/** An ExportTraceServiceRequest: one ResourceSpans per attribute map, each with one span. */
export function tracesRequest(resources: readonly Record<string, string>[]): Buffer {
  return encodeRequest('traces', {
    resourceSpans: resources.map((attrs) => ({
      resource: { attributes: Object.entries(attrs).map(([key, value]) => ({ key, value: { stringValue: value } })) },
      scopeSpans: [{ spans: [{ traceId: Buffer.from('0123456789abcdef') }] }],
    })),
  });
}
