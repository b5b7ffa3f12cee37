// The answer readings on their own: Retry-After forms, the gRPC code of each HTTP status, and the
// partial_success of a 2xx body in each encoding (and what is not one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpAnswer } from '../../../transport/http-client.ts';
import { GrpcStatus } from '../../../errors/grpc-status.ts';
import { grpcCodeOfHttp, retryAfterMs, statusMessage } from './http-result.ts';
import { answerPartialSuccess } from './partial-success-answer.ts';

const answer = (status: number, headers: Record<string, string>, body: string | Buffer = ''): HttpAnswer => ({
  ok: true,
  status,
  headers,
  body: Buffer.from(body),
});

test('Retry-After: delay-seconds, an HTTP date (past dates wait 0), junk and non-throttling statuses ignored', () => {
  const now = Date.parse('Fri, 04 Dec 2026 20:00:00 GMT');
  const cases: [number, string | undefined, number | undefined][] = [
    [429, '7', 7000],
    [503, ' 2 ', 2000],
    [429, 'Fri, 04 Dec 2026 20:00:30 GMT', 30_000],
    [503, 'Fri, 04 Dec 2026 19:00:00 GMT', 0],
    [429, 'soon', undefined],
    [429, '-1', 0],
    [429, '', undefined],
    [429, undefined, undefined],
    [502, '7', undefined],
    [400, '7', undefined],
  ];
  for (const [status, value, expected] of cases) {
    const headers = value === undefined ? {} : { 'retry-after': value };
    assert.equal(retryAfterMs(status, headers, now), expected, `${status} ${String(value)}`);
  }
});

test('the gRPC code of an HTTP status comes from the one mapping (errors/grpc-http-status.ts)', () => {
  assert.equal(grpcCodeOfHttp(200), GrpcStatus.OK);
  assert.equal(grpcCodeOfHttp(204), GrpcStatus.OK);
  assert.equal(grpcCodeOfHttp(401), GrpcStatus.UNAUTHENTICATED);
  assert.equal(grpcCodeOfHttp(429), GrpcStatus.RESOURCE_EXHAUSTED);
  assert.equal(grpcCodeOfHttp(503), GrpcStatus.UNAVAILABLE);
  assert.equal(grpcCodeOfHttp(418), GrpcStatus.UNKNOWN);
});

test('statusMessage: empty, JSON without a message, and bytes that are no Status give ""', () => {
  assert.equal(statusMessage(answer(400, {})), '');
  assert.equal(statusMessage(answer(400, { 'content-type': 'application/json' }, '{"code":3}')), '');
  assert.equal(statusMessage(answer(400, { 'content-type': 'application/json' }, '{not json')), '');
  assert.equal(statusMessage(answer(400, { 'content-type': 'application/x-protobuf' }, Buffer.from([0x0a, 0xff]))), '');
});

test('partial success: read by Content-Type, per signal; other types and bad bodies are full successes', () => {
  const json = (body: string): HttpAnswer => answer(200, { 'content-type': 'application/json; charset=utf-8' }, body);
  assert.deepEqual(answerPartialSuccess(json('{"partialSuccess":{"rejectedDataPoints":"3"}}'), 'metrics'), {
    rejected: 3,
    message: '',
  });
  assert.deepEqual(
    answerPartialSuccess(json('{"partialSuccess":{"rejectedLogRecords":1,"errorMessage":"m"}}'), 'logs'),
    {
      rejected: 1,
      message: 'm',
    },
  );
  const none = { rejected: 0, message: '' };
  assert.deepEqual(answerPartialSuccess(json('{"partialSuccess":{"rejectedSpans":"x"}}'), 'traces'), none);
  assert.deepEqual(answerPartialSuccess(json('{"partialSuccess":null}'), 'traces'), none);
  assert.deepEqual(answerPartialSuccess(json('null'), 'traces'), none);
  assert.deepEqual(answerPartialSuccess(json('{oops'), 'traces'), none);
  assert.deepEqual(answerPartialSuccess(answer(200, { 'content-type': 'text/plain' }, 'ok'), 'traces'), none);
  assert.deepEqual(answerPartialSuccess(answer(200, {}), 'traces'), none);
});
