// The OTLP gRPC services: one Export method per signal that has a consumer (Go registers only those,
// so the others answer UNIMPLEMENTED), each turning the call into a payload and the outcome into a reply.
import type { IncomingHttpHeaders } from 'node:http2';
import type { RequestContext } from '../../../contracts/payload.ts';
import type { Signal } from '../../../contracts/signal.ts';
import type { GrpcCall, GrpcHandler, GrpcReply } from '../../../transport/grpc-server.ts';
import type { SignalExport } from './export.ts';
import { encodeExportResponse } from './responses.ts';
import { exportMethodPath } from './signals.ts';

/** Method path → handler for every signal in `exports`. */
export function otlpGrpcMethods(
  exports: ReadonlyMap<Signal, SignalExport>,
  includeMetadata: boolean,
): Map<string, GrpcHandler> {
  const methods = new Map<string, GrpcHandler>();
  for (const [signal, exp] of exports)
    methods.set(exportMethodPath(signal), exportHandler(signal, exp, includeMetadata));
  return methods;
}

function exportHandler(signal: Signal, exp: SignalExport, includeMetadata: boolean): GrpcHandler {
  const empty = encodeExportResponse(signal);
  return async (call: GrpcCall): Promise<GrpcReply> => {
    const result = await exp.export(call.message, callContext(call, includeMetadata));
    if (result.ok)
      return { code: 0, response: result.partial === undefined ? empty : encodeExportResponse(signal, result.partial) };
    return { code: result.code, message: result.message, retryAfterMs: result.retryAfterMs };
  };
}

function callContext(call: GrpcCall, includeMetadata: boolean): RequestContext {
  const clientAddress = call.clientAddress;
  if (!includeMetadata) return clientAddress === undefined ? {} : { clientAddress };
  const metadata = grpcMetadata(call.headers);
  return clientAddress === undefined ? { metadata } : { clientAddress, metadata };
}

/** gRPC metadata as the context carries it: lower-cased keys, pseudo-headers left out. */
export function grpcMetadata(headers: IncomingHttpHeaders): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const [key, value] of Object.entries(headers)) {
    if (key.startsWith(':') || value === undefined) continue;
    out.set(key.toLowerCase(), Array.isArray(value) ? value : [value]);
  }
  return out;
}
