// The collector configs `telegate demo` writes into its data directory and runs: plain OpenTelemetry
// Collector YAML that users can read, copy and run themselves with `telegate --config FILE`.
import type { DemoPlan, EdgePlan } from './plan.ts';
import type { DemoPki } from './pki.ts';

/** Quotes a value for YAML (JSON strings are valid YAML scalars). */
const q = (s: string): string => JSON.stringify(s);

function telemetry(metricsPort: number): string {
  return `  telemetry:
    metrics:
      address: 127.0.0.1:${metricsPort}`;
}

/** The seed's `my-in-memory` Jaeger, in Jaeger v2's own config shape (memory storage, query on the UI port). */
export function backendConfig(plan: DemoPlan, maxTraces: number): string {
  const b = plan.backend;
  return `# telegate demo: the trace backend (Jaeger v2 component names), fed by the gateway.
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: ${maxTraces}
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${b.uiPort}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${b.otlpPort}
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
service:
  extensions: [jaeger_storage, jaeger_query]
${telemetry(b.metricsPort)}
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [jaeger_storage_exporter]
`;
}

/** The seed's gateway: TLS with the demo CA's certificate, basic auth against htpasswd, the verified user stamped. */
export function gatewayConfig(plan: DemoPlan, pki: DemoPki, htpasswdFile: string): string {
  const g = plan.gateway;
  return `# telegate demo: the gateway, as the seed's (TLS here instead of in an nginx ingress).
extensions:
  basicauth/server:
    htpasswd:
      file: ${q(htpasswdFile)}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${g.port}
        tls:
          cert_file: ${q(pki.certFile)}
          key_file: ${q(pki.keyFile)}
        auth:
          authenticator: basicauth/server
processors:
  resource/origin:
    attributes:
      # The origin of the data is what the gateway verified, not what the edge claims.
      - key: telegate.auth.username
        from_context: auth.username
        action: upsert
  batch: {}
exporters:
  otlp/backend:
    endpoint: 127.0.0.1:${plan.backend.otlpPort}
    tls:
      insecure: true
service:
  extensions: [basicauth/server]
${telemetry(g.metricsPort)}
  pipelines:
    traces:
      receivers: [otlp]
      processors: [resource/origin, batch]
      exporters: [otlp/backend]
`;
}

/** The seed's edge for one cluster: stamps cluster and zone, exports over TLS with its credentials. */
export function edgeConfig(plan: DemoPlan, edge: EdgePlan, pki: DemoPki, password: string): string {
  return `# telegate demo: the edge collector of ${edge.cluster} (in the seed, a DaemonSet in that cluster).
extensions:
  basicauth/client:
    client_auth:
      username: ${q(edge.user)}
      password: ${q(password)}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${edge.grpcPort}
      http:
        endpoint: 127.0.0.1:${edge.httpPort}
processors:
  resource:
    attributes:
      - key: cloud.availability_zone
        value: ${q(edge.zone)}
        action: insert
      - key: k8s.cluster.name
        value: ${q(edge.cluster)}
        action: insert
  batch: {}
exporters:
  otlp:
    endpoint: localhost:${plan.gateway.port}
    tls:
      ca_file: ${q(pki.caFile)}
    auth:
      authenticator: basicauth/client
service:
  extensions: [basicauth/client]
${telemetry(edge.metricsPort)}
  pipelines:
    traces:
      receivers: [otlp]
      processors: [resource, batch]
      exporters: [otlp]
`;
}
