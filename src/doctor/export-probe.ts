// Sends one export to a target the way its exporter would — gRPC over HTTP/2 for otlp, an HTTP POST
// for otlphttp — with the exporter's TLS options and headers. Shared by the protocol, auth and size steps.
import { OTLP_GRPC_PATHS } from '../components/exporters/otlp/otlp-exporter.ts';
import { errorMessage } from '../errors/thrown.ts';
import { loadTlsOptions } from '../transport/grpc-client-tls.ts';
import { grpcExport, type ProbeAnswer, type ProbeFailure } from './grpc-probe.ts';
import { httpExport } from './http-probe.ts';
import type { DoctorTarget } from './target.ts';

/** Sends `message` (a serialized ExportTraceServiceRequest) to `address`; never rejects. */
export async function sendExport(
  target: DoctorTarget,
  address: string,
  message: Buffer,
  timeoutMs: number,
): Promise<ProbeAnswer | ProbeFailure> {
  let tls;
  try {
    tls = target.useTls ? await loadTlsOptions(target.tls, target.host) : undefined;
  } catch (err) {
    return { ok: false, code: 'TLS_FILES', message: errorMessage(err) };
  }
  if (target.url !== undefined)
    return httpExport({ url: target.url, tls, headers: target.headers, body: message, timeoutMs });
  return grpcExport({
    host: address,
    port: target.port,
    authority: target.authority,
    path: OTLP_GRPC_PATHS[target.signal],
    tls,
    headers: target.headers,
    message,
    timeoutMs,
  });
}
