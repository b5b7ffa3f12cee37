// The one place where gRPC codes and HTTP statuses translate into each other. Three readings exist
// and each has its user: the HTTP status an OTLP/HTTP server answers for a gRPC code, the gRPC code an
// OTLP/HTTP answer stands for, and the gRPC code of a plain HTTP answer to a gRPC call.
import { GrpcStatus } from './grpc-status.ts';

// Go's otlpreceiver GetHTTPStatusCodeFromStatus (internal/errors): retryable codes are 503 so that
// OTLP/HTTP clients retry them, RESOURCE_EXHAUSTED is 429, anything unlisted is a server error.
const HTTP_OF_GRPC = new Map<number, number>([
  [GrpcStatus.OK, 200],
  [GrpcStatus.CANCELLED, 503],
  [GrpcStatus.DEADLINE_EXCEEDED, 503],
  [GrpcStatus.ABORTED, 503],
  [GrpcStatus.OUT_OF_RANGE, 503],
  [GrpcStatus.UNAVAILABLE, 503],
  [GrpcStatus.DATA_LOSS, 503],
  [GrpcStatus.RESOURCE_EXHAUSTED, 429],
  [GrpcStatus.INVALID_ARGUMENT, 400],
  [GrpcStatus.UNAUTHENTICATED, 401],
  [GrpcStatus.PERMISSION_DENIED, 403],
  [GrpcStatus.UNIMPLEMENTED, 404],
]);

// Go's httphelper NewStatusFromMsgAndHTTPCode (shared by its OTLP/HTTP receiver and exporter), plus
// 413 → RESOURCE_EXHAUSTED, the answer our receiver gives to a body over max_request_body_size.
const GRPC_OF_OTLP_HTTP = new Map<number, number>([
  [400, GrpcStatus.INVALID_ARGUMENT],
  [401, GrpcStatus.UNAUTHENTICATED],
  [403, GrpcStatus.PERMISSION_DENIED],
  [404, GrpcStatus.UNIMPLEMENTED],
  [413, GrpcStatus.RESOURCE_EXHAUSTED],
  [429, GrpcStatus.RESOURCE_EXHAUSTED],
  [502, GrpcStatus.UNAVAILABLE],
  [503, GrpcStatus.UNAVAILABLE],
  [504, GrpcStatus.UNAVAILABLE],
]);

// https://github.com/grpc/grpc/blob/master/doc/http-grpc-status-mapping.md: a gRPC client that gets an
// HTTP status other than 200 and no grpc-status (a proxy answered, or not a gRPC server at all).
const GRPC_OF_GRPC_HTTP = new Map<number, number>([
  [400, GrpcStatus.INTERNAL],
  [401, GrpcStatus.UNAUTHENTICATED],
  [403, GrpcStatus.PERMISSION_DENIED],
  [404, GrpcStatus.UNIMPLEMENTED],
  [429, GrpcStatus.UNAVAILABLE],
  [502, GrpcStatus.UNAVAILABLE],
  [503, GrpcStatus.UNAVAILABLE],
  [504, GrpcStatus.UNAVAILABLE],
]);

/** The HTTP status an OTLP/HTTP server answers for a gRPC code (500 for codes without their own). */
export function httpStatusOfGrpc(code: number): number {
  return HTTP_OF_GRPC.get(code) ?? 500;
}

/** The gRPC code an OTLP/HTTP error answer stands for; undefined for the statuses Go reads as UNKNOWN. */
export function grpcStatusOfOtlpHttp(httpStatus: number): number | undefined {
  return GRPC_OF_OTLP_HTTP.get(httpStatus);
}

/** The gRPC code of a non-200 HTTP answer to a gRPC call that carries no grpc-status (UNKNOWN otherwise). */
export function grpcStatusOfGrpcHttp(httpStatus: number): number {
  return GRPC_OF_GRPC_HTTP.get(httpStatus) ?? GrpcStatus.UNKNOWN;
}
