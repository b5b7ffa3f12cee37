// An edge collector's config: OTLP in from the node's pods, k8sattributes for the sending pod (only
// this node's pods, via the downward API), the cluster name and zone inserted — in the pipeline, which
// the seed forgot — and export to the gateway's ingress on 443 with Basic credentials from the env,
// through the persistent queue of `edge-queue.ts`.
import { edgeQueue } from './edge-queue.ts';
import { MEMORY_LIMITER } from './gateway-config.ts';
import { EDGE_PASSWORD_ENV, NODE_NAME_ENV, PORTS } from './names.ts';
import type { ConfigDraft } from './runtime.ts';
import { edgeUser, type EdgeSpec, type K8sSpec } from './spec.ts';

/** The config draft of one edge. */
export function edgeConfig(spec: K8sSpec, edge: EdgeSpec): ConfigDraft {
  const queue = edgeQueue();
  const config = {
    extensions: {
      health_check: { endpoint: `0.0.0.0:${PORTS.health}` },
      'basicauth/client': { client_auth: { username: edgeUser(edge), password: `\${env:${EDGE_PASSWORD_ENV}}` } },
      ...queue.extensions,
    },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${PORTS.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${PORTS.otlpHttp}` },
        },
      },
    },
    processors: {
      memory_limiter: MEMORY_LIMITER,
      k8sattributes: { auth_type: 'serviceAccount', filter: { node_from_env_var: NODE_NAME_ENV } },
      resource: {
        attributes: [
          { key: 'k8s.cluster.name', value: edge.cluster, action: 'insert' },
          { key: 'cloud.availability_zone', value: edge.zone, action: 'insert' },
        ],
      },
      ...(queue.batchProcessor ? { batch: {} } : {}),
    },
    exporters: {
      otlp: {
        endpoint: `${spec.gateway.host}:443`,
        auth: { authenticator: 'basicauth/client' },
        ...queue.exporter,
      },
    },
    service: {
      extensions: ['health_check', 'basicauth/client', ...Object.keys(queue.extensions)],
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'k8sattributes', 'resource', ...(queue.batchProcessor ? ['batch'] : [])],
          exporters: ['otlp'],
        },
      },
    },
  };
  return { config, extras: [] };
}
