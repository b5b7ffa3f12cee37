// The OTLP gRPC services: one Export method per signal that has a consumer (Go registers only those,
// so the others answer UNIMPLEMENTED), each turning the call into a payload and the outcome into a reply.
import type { IncomingHttpHeaders } from 'node:http2';
import type { RequestContext } from '../../../contracts/payload.ts';
import type { Signal } from '../../../contracts/signal.ts';
import type { GrpcAdmit, GrpcCall, GrpcHandler, GrpcRefusal, GrpcReply } from '../../../transport/grpc-server.ts';
import { waitAgain, type Backpressure } from './backpressure.ts';
import type { SignalExport } from './export.ts';
import { encodeExportResponse } from './responses.ts';
import { exportMethodPath } from './signals.ts';

/** Method path → handler for every signal in `exports`. */
export function otlpGrpcMethods(
  exports: ReadonlyMap<Signal, SignalExport>,
  includeMetadata: boolean,
  credentialHeaders: ReadonlySet<string>,
  backpressure?: Backpressure,
): Map<string, GrpcHandler> {
  const methods = new Map<string, GrpcHandler>();
  const drop = includeMetadata ? credentialHeaders : undefined;
  for (const [signal, exp] of exports)
    methods.set(exportMethodPath(signal), exportHandler(signal, exp, drop, backpressure));
  return methods;
}

/** Lets a call in when its signal's pipeline has room, waiting for it as `backpressure` says. */
export function otlpGrpcAdmit(exports: ReadonlyMap<Signal, SignalExport>, backpressure: Backpressure): GrpcAdmit {
  const byPath = new Map([...exports].map(([signal, exp]) => [exportMethodPath(signal), exp]));
  return {
    hasRoom: (path) => backpressure.hasRoom(byPath.get(path)?.room),
    wait: async (path, deadlineMs, signal): Promise<true | GrpcRefusal> => {
      const admission = await backpressure.admit(byPath.get(path)?.room, deadlineMs, signal);
      if (admission === true) return true;
      return { code: admission.code, message: admission.message, retryAfterMs: admission.retryAfterMs ?? 0 };
    },
  };
}

function exportHandler(
  signal: Signal,
  exp: SignalExport,
  drop: ReadonlySet<string> | undefined,
  bp: Backpressure | undefined,
): GrpcHandler {
  const empty = encodeExportResponse(signal);
  return async (call: GrpcCall): Promise<GrpcReply> => {
    const again =
      bp === undefined ? undefined : waitAgain(bp, exp.room, call.startedMs ?? performance.now(), call.timeoutMs);
    const result = await exp.export(call.message, callContext(call, drop), again, call.deflatePiece);
    if (result.ok)
      return { code: 0, response: result.partial === undefined ? empty : encodeExportResponse(signal, result.partial) };
    return { code: result.code, message: result.message, retryAfterMs: result.retryAfterMs };
  };
}

// Metadata only when `drop` (the credential headers to leave out) is given, i.e. include_metadata is on.
function callContext(call: GrpcCall, drop: ReadonlySet<string> | undefined): RequestContext {
  const { clientAddress, auth } = call;
  const metadata = drop === undefined ? undefined : grpcMetadata(call.headers, drop);
  return {
    ...(clientAddress === undefined ? {} : { clientAddress }),
    ...(auth === undefined ? {} : { auth }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}

/** gRPC metadata as the context carries it: lower-cased keys, pseudo-headers and `drop` left out. */
export function grpcMetadata(
  headers: IncomingHttpHeaders,
  drop: ReadonlySet<string> = new Set(),
): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const [key, value] of Object.entries(headers)) {
    if (key.startsWith(':') || value === undefined || drop.has(key.toLowerCase())) continue;
    out.set(key.toLowerCase(), Array.isArray(value) ? value : [value]);
  }
  return out;
}
