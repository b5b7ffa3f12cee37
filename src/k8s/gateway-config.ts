// The gateway collector's config: OTLP/gRPC behind the ingress, each edge's Basic credentials checked
// against the htpasswd file mounted from a Secret (reloaded when it changes), the verified user stamped
// on the data, then memory_limiter → the backend, end to end: the exporter batches in its queue and
// answers an edge only once the backend accepted (`wait_for_result`), so a replica holds no
// acknowledged data and can be scaled away at any time. No credential is written here.
import { HTPASSWD_PATH, NAMES, PORTS } from './names.ts';
import type { ConfigDraft } from './runtime.ts';
import { oidcOf, type K8sSpec, type OidcSpec } from './spec.ts';

/** The memory_limiter both collectors run: a share of the container's memory limit (cgroup). */
export const MEMORY_LIMITER = { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 };

/** The config draft of the gateway. */
export function gatewayConfig(spec: K8sSpec): ConfigDraft {
  const oidc = oidcOf(spec);
  const auth = oidc === undefined ? BASIC_AUTH : oidcAuth(oidc);
  const config = {
    extensions: {
      health_check: { endpoint: `0.0.0.0:${PORTS.health}` },
      [auth.name]: auth.settings,
    },
    receivers: {
      otlp: {
        protocols: {
          grpc: {
            endpoint: `0.0.0.0:${PORTS.otlpGrpc}`,
            max_recv_msg_size_mib: spec.gateway.max_recv_msg_size_mib,
            auth: { authenticator: auth.name },
          },
        },
      },
    },
    processors: {
      memory_limiter: MEMORY_LIMITER,
      // The origin of the data is the user the gateway verified, not what an edge claims.
      'resource/origin': {
        attributes: [{ key: 'telegate.auth.username', from_context: auth.identity, action: 'upsert' }],
      },
    },
    exporters: { 'otlp/backend': backendExporter(spec) },
    service: {
      extensions: ['health_check', auth.name],
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'resource/origin'],
          exporters: ['otlp/backend'],
        },
      },
    },
  };
  const throttle = {
    path: ['extensions', 'basicauth/server', 'throttle'],
    value: { enabled: true },
    why: "telegate's throttle of password guessing; it counts per replica",
  };
  return { config, extras: oidc === undefined ? [throttle] : [] };
}

/** The gateway's authenticator: its extension name and settings, and the auth context key naming the edge. */
interface ServerAuth {
  readonly name: string;
  readonly settings: Record<string, unknown>;
  readonly identity: string;
}

const BASIC_AUTH: ServerAuth = {
  name: 'basicauth/server',
  settings: { htpasswd: { file: HTPASSWD_PATH } },
  identity: 'auth.username',
};

// A verified token's subject (its `sub`: the edge's client at the provider) is the edge's identity.
function oidcAuth(oidc: OidcSpec): ServerAuth {
  return { name: 'oidc', settings: { issuer_url: oidc.issuer, audience: oidc.audience }, identity: 'auth.subject' };
}

/**
 * End to end: each edge request waits for its batch's outcome; a failure goes back to the edge, whose
 * persistent queue retries it — one retry loop, not two in series (a gateway retry outlasting the
 * edge's attempt timeout only makes duplicates). The attempt timeout is Go's default, written out
 * because the edge's must outlast it (edge-queue.ts). Same keys on otelcol-contrib v0.139.
 */
export const GATEWAY_DELIVERY = {
  timeout: '5s',
  sending_queue: { wait_for_result: true, batch: { flush_timeout: '200ms', min_size: 8192, sizer: 'items' } },
  retry_on_failure: { enabled: false },
};

function backendExporter(spec: K8sSpec): Record<string, unknown> {
  const backend = spec.gateway.backend;
  if (backend === 'all-in-one')
    return {
      endpoint: `${NAMES.backend}.${spec.gateway.namespace}.svc:${PORTS.otlpGrpc}`,
      tls: { insecure: true },
      ...GATEWAY_DELIVERY,
    };
  return { endpoint: backend.otlp.endpoint, tls: { insecure: backend.otlp.insecure }, ...GATEWAY_DELIVERY };
}
