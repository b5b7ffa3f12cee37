import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grpcStatusOfGrpcHttp, grpcStatusOfOtlpHttp, httpStatusOfGrpc } from './grpc-http-status.ts';
import { GrpcStatus } from './grpc-status.ts';

test('an OTLP/HTTP server answers each gRPC code with the HTTP status Go does', () => {
  const cases: [number, number][] = [
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
    [GrpcStatus.INTERNAL, 500],
    [GrpcStatus.UNKNOWN, 500],
    [GrpcStatus.FAILED_PRECONDITION, 500],
  ];
  for (const [code, http] of cases) assert.equal(httpStatusOfGrpc(code), http, `gRPC code ${code}`);
});

test('an OTLP/HTTP answer reads as the gRPC code Go gives it', () => {
  const cases: [number, number | undefined][] = [
    [400, GrpcStatus.INVALID_ARGUMENT],
    [401, GrpcStatus.UNAUTHENTICATED],
    [403, GrpcStatus.PERMISSION_DENIED],
    [404, GrpcStatus.UNIMPLEMENTED],
    [413, GrpcStatus.RESOURCE_EXHAUSTED],
    [429, GrpcStatus.RESOURCE_EXHAUSTED],
    [503, GrpcStatus.UNAVAILABLE],
    [500, undefined],
  ];
  for (const [http, code] of cases) assert.equal(grpcStatusOfOtlpHttp(http), code, `HTTP ${http}`);
});

test('a plain HTTP answer to a gRPC call maps as grpc specifies', () => {
  const cases: [number, number][] = [
    [400, GrpcStatus.INTERNAL],
    [401, GrpcStatus.UNAUTHENTICATED],
    [403, GrpcStatus.PERMISSION_DENIED],
    [404, GrpcStatus.UNIMPLEMENTED],
    [429, GrpcStatus.UNAVAILABLE],
    [502, GrpcStatus.UNAVAILABLE],
    [500, GrpcStatus.UNKNOWN],
  ];
  for (const [http, code] of cases) assert.equal(grpcStatusOfGrpcHttp(http), code, `HTTP ${http}`);
});

test('every status an OTLP/HTTP server answers reads back as a code with the same HTTP status', () => {
  for (let code = 0; code <= 16; code++) {
    const http = httpStatusOfGrpc(code);
    if (http === 200 || http === 500) continue;
    assert.equal(httpStatusOfGrpc(grpcStatusOfOtlpHttp(http) ?? -1), http, `gRPC code ${code} → HTTP ${http}`);
  }
});
