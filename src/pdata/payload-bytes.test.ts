// Payloads made of parts: the lazy `bytes` is exactly the concatenation, made once and shared; the
// size and the chunks to write are had without concatenating.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Payload } from '../contracts/payload.ts';
import { countConcats } from '../../test/helpers/count-concats.ts';
import { decodeRequest, encodeRequest } from '../../test/helpers/otlp-proto.ts';
import { PartsPayload, payloadByteLength, payloadChunks } from './payload-bytes.ts';

/** A traces request with one span named `name`. */
function request(name: string): Buffer {
  return encodeRequest('traces', { resourceSpans: [{ scopeSpans: [{ spans: [{ name }] }] }] });
}

test('a multi-part payload: bytes is the concatenation of the parts, computed on first access, once', async () => {
  const parts = [request('a'), request('b'), request('c')];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const p = new PartsPayload('traces', parts, total, 3, {});
  let first: Buffer | undefined;
  let second: Buffer | undefined;
  const concats = await countConcats(() => {
    assert.equal(payloadByteLength(p), total);
    assert.equal(payloadChunks(p), parts);
    first = p.bytes;
    second = p.bytes;
  });
  assert.equal(concats, 1);
  assert.equal(first, second, 'the same Buffer on every access');
  assert.deepEqual(first, Buffer.concat(parts));
  const names: string[] = [];
  for (const rs of decodeRequest('traces', p.bytes).resourceSpans) {
    for (const ss of rs.scopeSpans) for (const s of ss.spans) names.push(s.name as string);
  }
  assert.deepEqual(names, ['a', 'b', 'c'], 'the concatenation is one valid request');
});

test('a one-part payload hands out its part without a copy', async () => {
  const part = request('x');
  const p = new PartsPayload('traces', [part], part.length, 1, {});
  assert.equal(await countConcats(() => p.bytes), 0);
  assert.equal(p.bytes, part);
});

test('payloadByteLength and payloadChunks never read bytes of a payload with parts', () => {
  const parts = [Buffer.from('ab'), Buffer.from('cde')];
  const p: Payload = {
    signal: 'logs',
    get bytes(): Buffer {
      throw new Error('bytes was read');
    },
    items: 1,
    context: {},
    parts,
  };
  assert.equal(payloadByteLength(p), 5);
  assert.equal(payloadChunks(p), parts);
  const plain: Payload = { signal: 'logs', bytes: Buffer.from('xyz'), items: 1, context: {} };
  assert.equal(payloadByteLength(plain), 3);
  assert.equal(payloadChunks(plain), plain.bytes);
});
