// An edge collector's config: OTLP in from the node's pods, k8sattributes for the sending pod (only
// this node's pods, via the downward API), the cluster name and zone inserted — in the pipeline, which
// the seed forgot — and export to the gateway's ingress on 443 with Basic credentials from the env,
// through the persistent queue of `edge-queue.ts`.
import { edgeQueue } from './edge-queue.ts';
import { MEMORY_LIMITER } from './gateway-config.ts';
import { EDGE_PASSWORD_ENV, NODE_NAME_ENV, PORTS } from './names.ts';
import type { ConfigDraft } from './runtime.ts';
import { edgeClientId, edgeUser, oidcOf, type EdgeSpec, type K8sSpec } from './spec.ts';

/** The config draft of one edge. */
export function edgeConfig(spec: K8sSpec, edge: EdgeSpec): ConfigDraft {
  const queue = edgeQueue();
  const auth = clientAuth(spec, edge);
  const config = {
    extensions: {
      health_check: { endpoint: `0.0.0.0:${PORTS.health}` },
      [auth.name]: auth.settings,
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
        auth: { authenticator: auth.name },
        ...queue.exporter,
      },
    },
    service: {
      extensions: ['health_check', auth.name, ...Object.keys(queue.extensions)],
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

// The secret (password or client secret) is never in the config: it comes from the edge's Secret via env.
function clientAuth(spec: K8sSpec, edge: EdgeSpec): { name: string; settings: Record<string, unknown> } {
  const secret = `\${env:${EDGE_PASSWORD_ENV}}`;
  const oidc = oidcOf(spec);
  if (oidc === undefined)
    return { name: 'basicauth/client', settings: { client_auth: { username: edgeUser(edge), password: secret } } };
  const settings = {
    client_id: edgeClientId(edge),
    client_secret: secret,
    token_url: oidc.token_url,
    ...(oidc.scopes.length > 0 ? { scopes: oidc.scopes } : {}),
  };
  return { name: 'oauth2client', settings };
}
