// requestBody: gzip members a request arrived as are sent as they are for protobuf with gzip; JSON, or
// another compression, is made afresh from the bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import { EMPTY_CONTEXT, type Payload } from '../../../contracts/payload.ts';
import { requestBody } from './request-body.ts';

const bytes = encodeRequest('traces', { resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'a' }, { name: 'b' }] }] }] });
const members = [gzipSync(bytes.subarray(0, 10)), gzipSync(bytes.subarray(10))];
const payload: Payload = { signal: 'traces', bytes, items: 2, context: EMPTY_CONTEXT, gzipMembers: members };

const joined = (b: Buffer | readonly Buffer[]): Buffer => (Buffer.isBuffer(b) ? b : Buffer.concat(b));

test('protobuf with gzip: the members as they arrived, which inflate to the request', async () => {
  const body = await requestBody(payload, 'proto', 'gzip', 0);
  assert.equal(body.contentEncoding, 'gzip');
  assert.deepEqual(body.bytes, members);
  assert.deepEqual(gunzipSync(joined(body.bytes)), bytes);
});

test('JSON with gzip, or protobuf with zstd or none: made afresh from the bytes', async () => {
  const json = await requestBody(payload, 'json', 'gzip', 0);
  assert.equal(json.contentType, 'application/json');
  assert.match(gunzipSync(joined(json.bytes)).toString(), /"name":"a"/);
  const plain = await requestBody(payload, 'proto', 'none', 0);
  assert.equal(plain.contentEncoding, undefined);
  assert.deepEqual(joined(plain.bytes), bytes);
});
