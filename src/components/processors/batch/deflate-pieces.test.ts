// The batch processor keeps requests' deflate pieces (Payload.deflatePieces) for a batch only when every
// request in it came with them, and never for a batch it had to split: the pieces always inflate to
// exactly the batch's bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { RecordingConsumer, testSettings } from '../../../../test/helpers/fakes.ts';
import { encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import { EMPTY_CONTEXT, type DeflatePiece, type Payload } from '../../../contracts/payload.ts';
import { BatchProcessor } from './batch-processor.ts';
import type { BatchConfig } from './config.ts';

let spanNo = 0;
function spans(n: number, gzip: boolean): Payload {
  const list = Array.from({ length: n }, () => ({ name: `s${spanNo++}` }));
  const bytes = encodeRequest('traces', { resourceSpans: [{ scopeSpans: [{ spans: list }] }] });
  const base = { signal: 'traces' as const, bytes, items: n, context: EMPTY_CONTEXT };
  return gzip
    ? { ...base, deflatePieces: [{ deflate: deflateRawSync(bytes, SYNC), crc: crc32(bytes), length: bytes.length }] }
    : base;
}

const SYNC = { finishFlush: constants.Z_SYNC_FLUSH };
/** The pieces laid end to end, inflated (they end at a sync flush, not a final block). */
const inflated = (pieces: readonly DeflatePiece[]): Buffer =>
  inflateRawSync(Buffer.concat(pieces.map((p) => p.deflate)), SYNC);

function setup(over: Partial<BatchConfig>): { proc: BatchProcessor; next: RecordingConsumer } {
  const next = new RecordingConsumer();
  const config: BatchConfig = {
    timeout: 60_000,
    send_batch_size: 6,
    send_batch_max_size: 0,
    metadata_keys: [],
    metadata_cardinality_limit: 1000,
    ...over,
  };
  return { proc: new BatchProcessor(testSettings('processor', 'batch'), config, 'traces', next), next };
}

test('a batch of gzip requests carries their deflate pieces, which inflate to the batch', async () => {
  const { proc, next } = setup({});
  for (let i = 0; i < 3; i++) await proc.consume(spans(2, true));
  await next.waitForItems(6);
  const [batch] = next.payloads;
  assert.ok(batch?.deflatePieces);
  assert.equal(batch.deflatePieces.length, 3);
  assert.deepEqual(inflated(batch.deflatePieces), batch.bytes);
  await proc.shutdown();
});

test('one request without pieces: the batch has none; the next batch has them again', async () => {
  const { proc, next } = setup({});
  await proc.consume(spans(2, true));
  await proc.consume(spans(2, false));
  await proc.consume(spans(2, true));
  await next.waitForItems(6);
  assert.equal(next.payloads[0]?.deflatePieces, undefined);
  for (let i = 0; i < 3; i++) await proc.consume(spans(2, true));
  await next.waitForItems(12);
  const second = next.payloads[1];
  assert.ok(second?.deflatePieces);
  assert.deepEqual(inflated(second.deflatePieces), second.bytes);
  await proc.shutdown();
});

test('a batch split by send_batch_max_size has no pieces', async () => {
  const { proc, next } = setup({ send_batch_size: 3, send_batch_max_size: 3 });
  await proc.consume(spans(4, true));
  await next.waitForItems(3);
  for (const p of next.payloads) assert.equal(p.deflatePieces, undefined);
  await proc.shutdown();
});
