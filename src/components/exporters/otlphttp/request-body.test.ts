// requestBody: the deflate pieces a request arrived as are laid, as they are, in one gzip member for
// protobuf with gzip; JSON, or another compression, is made afresh from the bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, crc32, deflateRawSync, gunzipSync, inflateRawSync } from 'node:zlib';
import { encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import { EMPTY_CONTEXT, type Payload } from '../../../contracts/payload.ts';
import { requestBody } from './request-body.ts';

const bytes = encodeRequest('traces', { resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'a' }, { name: 'b' }] }] }] });
const SYNC = { finishFlush: constants.Z_SYNC_FLUSH };
const piece = (b: Buffer) => ({ deflate: deflateRawSync(b, SYNC), crc: crc32(b), length: b.length });
const pieces = [piece(bytes.subarray(0, 10)), piece(bytes.subarray(10))];
const payload: Payload = { signal: 'traces', bytes, items: 2, context: EMPTY_CONTEXT, deflatePieces: pieces };

const joined = (b: Buffer | readonly Buffer[]): Buffer => (Buffer.isBuffer(b) ? b : Buffer.concat(b));

test('protobuf with gzip: one member holding the pieces as they arrived, which inflates to the request', async () => {
  const body = await requestBody(payload, 'proto', 'gzip', 0);
  assert.equal(body.contentEncoding, 'gzip');
  const whole = joined(body.bytes);
  assert.ok(whole.includes(Buffer.concat(pieces.map((p) => p.deflate))), 'the pieces, not compressed again');
  assert.deepEqual(gunzipSync(whole), bytes);
  // One member: a raw inflater stops at the first final block, which is right before the trailer.
  const first = inflateRawSync(whole.subarray(10), { info: true }) as unknown as { engine: { bytesWritten: number } };
  assert.equal(first.engine.bytesWritten, whole.length - 18);
});

test('JSON with gzip, or protobuf with zstd or none: made afresh from the bytes', async () => {
  const json = await requestBody(payload, 'json', 'gzip', 0);
  assert.equal(json.contentType, 'application/json');
  assert.match(gunzipSync(joined(json.bytes)).toString(), /"name":"a"/);
  const plain = await requestBody(payload, 'proto', 'none', 0);
  assert.equal(plain.contentEncoding, undefined);
  assert.deepEqual(joined(plain.bytes), bytes);
});
