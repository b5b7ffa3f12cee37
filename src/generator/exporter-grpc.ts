// OTLP/gRPC export over the project's raw node:http2 client (src/transport/grpc-client.ts): one
// connection with large windows shared by every worker, TLS from the flags, metadata from the headers.
import { grpcStatusName } from '../errors/grpc-status.ts';
import { parseGrpcEndpoint } from '../transport/endpoint.ts';
import { GrpcClient } from '../transport/grpc-client.ts';
import { tlsOptionsLoader } from '../transport/grpc-client-tls.ts';
import { endpointOf, type GenOptions, type GenSignal } from './options.ts';
import { redact, requestHeaders, tlsConfigOf, usesTls, type Exporter, type SendOutcome } from './exporter.ts';

const PATHS: Readonly<Record<GenSignal, string>> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};
const OK: SendOutcome = { ok: true, reason: '' };

/** An Exporter for OTLP/gRPC; throws on an endpoint that cannot be parsed. */
export function grpcExporter(o: GenOptions): Exporter {
  const endpoint = endpointOf(o);
  const parsed = parseGrpcEndpoint(endpoint);
  if (!parsed.ok) throw new Error(`--otlp-endpoint: ${parsed.message}`);
  const target = parsed.target;
  const serverHost = target.transport === 'tcp' ? target.host : 'localhost';
  const client = new GrpcClient({
    target,
    ...(usesTls(o, endpoint) ? { tls: tlsOptionsLoader(tlsConfigOf(o), serverHost) } : {}),
    userAgent: 'telegate-gen',
    reconnect: { initialMs: 100, maxMs: 1000 },
    connectTimeoutMs: Math.max(1000, o.timeoutMs),
  });
  const path = PATHS[o.signal];
  const options = { timeoutMs: o.timeoutMs, metadata: requestHeaders(o) };
  return {
    async send(body) {
      const r = await client.call(path, [body], options);
      if (r.code === 0) return OK;
      return { ok: false, reason: redact(o, `${grpcStatusName(r.code)}: ${r.message}`) };
    },
    close: () => client.close(1000),
  };
}
