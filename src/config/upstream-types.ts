// Component types of the Go OpenTelemetry Collector (core and contrib) that users commonly bring in
// configs, per kind. A config naming one that telegate lacks gets "telegate does not implement it
// (yet)" instead of a bare "unknown type", so a user knows the config is not misspelled.
import type { Kind } from '../contracts/signal.ts';

const UPSTREAM: Record<Kind, readonly string[]> = {
  receiver: [
    'filelog',
    'fluentforward',
    'hostmetrics',
    'jaeger',
    'journald',
    'k8s_cluster',
    'k8s_events',
    'k8sobjects',
    'kafka',
    'kubeletstats',
    'nop',
    'prometheus',
    'statsd',
    'syslog',
    'zipkin',
  ],
  processor: [
    'attributes',
    'cumulativetodelta',
    'deltatocumulative',
    'filter',
    'groupbyattrs',
    'k8sattributes',
    'memory_limiter',
    'probabilistic_sampler',
    'redaction',
    'resourcedetection',
    'routing',
    'span',
    'tail_sampling',
    'transform',
  ],
  exporter: [
    'awsxray',
    'file',
    'googlecloud',
    'kafka',
    'loadbalancing',
    'loki',
    'nop',
    'otlphttp',
    'otlp_http',
    'prometheus',
    'prometheusremotewrite',
    'zipkin',
  ],
  extension: [
    'basicauth',
    'bearertokenauth',
    'file_storage',
    'health_check',
    'headers_setter',
    'oauth2client',
    'oidc',
    'pprof',
    'zpages',
  ],
};

/**
 * Jaeger v2 components (github.com/jaegertracing/jaeger cmd/jaeger) telegate does not support: a Jaeger
 * v2 config naming one gets "a Jaeger v2 … that telegate does not support". telegate implements
 * jaeger_storage (memory backends), jaeger_query and jaeger_storage_exporter.
 */
const JAEGER: Record<Kind, readonly string[]> = {
  // jaeger, zipkin and kafka receivers are collector-contrib components too: named as such.
  receiver: [],
  processor: ['adaptive_sampling'],
  exporter: [],
  extension: ['remote_sampling', 'healthcheckv2', 'expvar', 'jaeger_mcp', 'remote_storage', 'storagecleaner'],
};

/** Where a component type telegate lacks comes from: Jaeger v2 wins (its configs name them), then Go's collector. */
export function upstreamOrigin(kind: Kind, type: string): 'jaeger' | 'collector' | undefined {
  if (JAEGER[kind].includes(type)) return 'jaeger';
  return UPSTREAM[kind].includes(type) ? 'collector' : undefined;
}

/** True when `type` is a Go collector component of that kind (so the name is right, telegate lacks it). */
export function isUpstreamType(kind: Kind, type: string): boolean {
  return UPSTREAM[kind].includes(type);
}
