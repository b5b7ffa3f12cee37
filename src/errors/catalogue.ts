// The coded error catalogue (STYLE.md rule 4): each code's gRPC status, HTTP status, retryability
// and how to fix it. docs/errors.md is generated from this table; a test checks it.
import { GrpcStatus, type GrpcStatusCode } from './grpc-status.ts';

export interface ErrorSpec {
  readonly grpc: GrpcStatusCode;
  readonly http: number;
  readonly retryable: boolean;
  readonly summary: string;
  readonly hint: string;
}

export const ERRORS = {
  TG_CONFIG_INVALID: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The configuration has problems; each is listed with its YAML path and line.',
    hint: 'Fix every listed problem; `telegate validate --config FILE` checks without starting anything.',
  },
  TG_CONFIG_READ: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A configuration file could not be read or is not valid YAML.',
    hint: 'Check the path given to --config and the YAML syntax at the reported line.',
  },
  TG_OTLP_MALFORMED: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The request body is not a valid OTLP message.',
    hint: 'Send an Export*ServiceRequest encoded as protobuf or OTLP/JSON, matching the Content-Type.',
  },
  TG_OTLP_TOO_LARGE: {
    grpc: GrpcStatus.RESOURCE_EXHAUSTED,
    http: 413,
    retryable: false,
    summary: 'The request is larger than the receiver accepts.',
    hint: 'Send smaller batches, or raise max_recv_msg_size_mib (gRPC) / max_request_body_size (HTTP).',
  },
  TG_OTLP_UNSUPPORTED_MEDIA_TYPE: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 415,
    retryable: false,
    summary: 'The Content-Type is not one OTLP/HTTP accepts.',
    hint: 'Use application/x-protobuf or application/json.',
  },
  TG_OTLP_BAD_ENCODING: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The body could not be decompressed with its declared encoding.',
    hint: 'Send gzip bodies with Content-Encoding: gzip (or grpc-encoding: gzip), or none.',
  },
  TG_OTLP_UNSUPPORTED_ENCODING: {
    grpc: GrpcStatus.UNIMPLEMENTED,
    http: 415,
    retryable: false,
    summary: 'The declared compression is not supported.',
    hint: 'Use gzip or no compression.',
  },
  TG_PIPELINE_BUSY: {
    grpc: GrpcStatus.UNAVAILABLE,
    http: 503,
    retryable: true,
    summary: 'Downstream is full (a sending queue is at capacity); the data was refused, not dropped.',
    hint: 'The client should retry after the advised delay; raise sending_queue.queue_size or add consumers.',
  },
  TG_EXPORT_FAILED: {
    grpc: GrpcStatus.UNAVAILABLE,
    http: 503,
    retryable: true,
    summary: 'An exporter could not deliver the data.',
    hint: 'Check that the exporter endpoint is reachable and accepts the data.',
  },
  TG_EXPORT_PERMANENT: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The destination refused the data permanently; retrying would not help.',
    hint: 'Read the destination\'s message: the data or the credentials are not acceptable to it.',
  },
  TG_SHUTTING_DOWN: {
    grpc: GrpcStatus.UNAVAILABLE,
    http: 503,
    retryable: true,
    summary: 'The collector is shutting down and takes no more data.',
    hint: 'Retry against another instance, or after the restart.',
  },
  TG_UNIMPLEMENTED: {
    grpc: GrpcStatus.UNIMPLEMENTED,
    http: 404,
    retryable: false,
    summary: 'No such service or method on this endpoint.',
    hint: 'OTLP/gRPC methods are opentelemetry.proto.collector.{trace,metrics,logs}.v1.*Service/Export.',
  },
  TG_START_FAILED: {
    grpc: GrpcStatus.INTERNAL,
    http: 500,
    retryable: false,
    summary: 'A component could not start (for example its port is in use).',
    hint: 'Read the message: free the port or choose another endpoint.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** A coded error; `message` is for users and never holds secrets. */
export class TelegateError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TelegateError';
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs;
  }

  get spec(): ErrorSpec {
    return ERRORS[this.code];
  }
}
