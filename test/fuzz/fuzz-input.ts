// What the receiver fuzz test sends and expects, shared by the gRPC and HTTP input generators
// (grpc-cases.ts, http-cases.ts): one request, the receiver's limits in the fuzz config, the paths, gRPC
// framing, and the gzip bomb.
import { gzipSync } from 'node:zlib';
import type { Signal } from '../../src/contracts/signal.ts';

/** One request to send, and what may come back. */
export interface FuzzInput {
  readonly transport: 'grpc' | 'http';
  /** What the input is, e.g. `grpc:huge-length proto:flip`. */
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Acceptable answers: gRPC status codes (grpc) or HTTP statuses (http). */
  readonly expect: readonly number[];
}

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
export const G = { OK: 0, INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13 } as const;
/** The receiver's limits in the fuzz config (max_recv_msg_size_mib, max_request_body_size). */
export const MAX_BYTES = 1024 * 1024;

export const GRPC_PATHS: Readonly<Record<Signal, string>> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};
export const HTTP_PATHS: Readonly<Record<Signal, string>> = {
  traces: '/v1/traces',
  metrics: '/v1/metrics',
  logs: '/v1/logs',
};

/** Answers to a body that reaches the export: accepted (maybe after a repair-free parse) or malformed. */
export const GRPC_BODY = [G.OK, G.INVALID_ARGUMENT];
export const HTTP_BODY = [200, 400];

// A gzip bomb: 16 MiB of zeros in about 16 KiB, inflating far past MAX_BYTES.
export const BOMB = gzipSync(Buffer.alloc(16 * MAX_BYTES));

/** A gRPC length-prefixed message with any flag byte and any announced length. */
export function frame(flag: number, length: number, message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flag;
  head.writeUInt32BE(length >>> 0, 1);
  return Buffer.concat([head, message]);
}

/** A body wrapped with one fault: headers, bytes, and the answers it may get. */
export interface Wrapped {
  readonly fault: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly expect: readonly number[];
  readonly method?: string;
  readonly path?: string;
}
