// Shared node:http2 gRPC pieces of the load processes (client, sink, forward stand-in): the method
// path, the big flow-control windows perf-lab.md §1 measured, and the empty unary response.
import { frameMessage } from '../../src/transport/grpc-framing.ts';

/** The OTLP trace Export method. */
export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** perf-lab "BIGWIN": a 16 MiB connection window; the default 64 KiB doubles CPU per span for 300 KB requests. */
export const CONNECTION_WINDOW = 16 * 1024 * 1024;
/** perf-lab "BIGWIN": a 4 MiB per-stream window (HTTP/2 SETTINGS_INITIAL_WINDOW_SIZE). */
export const STREAM_WINDOW = 4 * 1024 * 1024;

/** HTTP/2 settings for both ends: big stream window, big frames, many streams. */
export const H2_SETTINGS = {
  initialWindowSize: STREAM_WINDOW,
  maxFrameSize: 1024 * 1024 - 1,
  maxConcurrentStreams: 1000,
} as const;

/** An empty ExportTraceServiceResponse, framed: flag 0, length 0. */
export const EMPTY_RESPONSE_FRAME: Buffer = frameMessage(Buffer.alloc(0), false);

/** Request headers of one unary Export call (`grpc-encoding` only when the body is compressed). */
export function exportRequestHeaders(authority: string): Record<string, string> {
  return {
    ':method': 'POST',
    ':path': TRACE_EXPORT_PATH,
    ':authority': authority,
    'content-type': 'application/grpc',
    te: 'trailers',
  };
}
