// grpc-message percent-encoding and grpc-timeout parsing, per the gRPC HTTP/2 protocol document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGrpcMessage, encodeGrpcMessage, parseGrpcTimeout } from './grpc-server-reply.ts';

test('encodeGrpcMessage keeps printable ASCII and percent-encodes the rest as UTF-8', () => {
  assert.equal(encodeGrpcMessage('plain text: ok'), 'plain text: ok');
  assert.equal(encodeGrpcMessage('100%'), '100%25');
  assert.equal(encodeGrpcMessage('é\n'), '%C3%A9%0A');
  assert.equal(decodeGrpcMessage(encodeGrpcMessage('naïve 100% ✓\r\n')), 'naïve 100% ✓\r\n');
});

test('parseGrpcTimeout reads every unit and rejects malformed values', () => {
  assert.equal(parseGrpcTimeout('1H'), 3_600_000);
  assert.equal(parseGrpcTimeout('2M'), 120_000);
  assert.equal(parseGrpcTimeout('10S'), 10_000);
  assert.equal(parseGrpcTimeout('250m'), 250);
  assert.equal(parseGrpcTimeout('1500u'), 2);
  assert.equal(parseGrpcTimeout('999999n'), 1);
  assert.equal(parseGrpcTimeout('123456789S'), undefined);
  assert.equal(parseGrpcTimeout('10s'), undefined);
  assert.equal(parseGrpcTimeout(undefined), undefined);
});
