import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, appendFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SegmentLog, type SegmentLogOptions } from './segment-log.ts';
import { encodeHeader, HEADER_BYTES, recordAt, scanSegment } from './record-format.ts';
import { crc32c } from '../../../util/crc32c.ts';

function tempDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'telegate-seglog-')), 'q');
}

function opts(dir: string, extra: Partial<SegmentLogOptions> = {}): SegmentLogOptions {
  return { dir, fsync: false, lockTimeoutMs: 0, compactOnStart: false, ...extra };
}

function segments(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.seg'));
}

const req = (i: number): Buffer => Buffer.from(`request-${i}-${'x'.repeat(i % 7)}`);

test('crc32c: the standard check value, and continuing a checksum equals one pass', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  const b = Buffer.from('the quick brown fox jumps over the lazy dog');
  for (const cut of [0, 1, 3, 4, 5, 17, b.length]) {
    assert.equal(crc32c(b.subarray(cut), crc32c(b.subarray(0, cut))), crc32c(b));
  }
});

test('a record round-trips; any flipped byte is caught', () => {
  const body = Buffer.from('hello');
  const rec = Buffer.concat([encodeHeader([body.subarray(0, 2), body.subarray(2)], 2 ** 40 + 7, 3), body]);
  const parsed = recordAt(rec, 0);
  assert.deepEqual(
    { seq: parsed?.seq, items: parsed?.items, bytes: parsed?.bytes.toString() },
    { seq: 2 ** 40 + 7, items: 3, bytes: 'hello' },
  );
  for (let i = 0; i < rec.length; i++) {
    const bad = Buffer.from(rec);
    bad[i] = (bad[i] ?? 0) ^ 0x10;
    assert.equal(recordAt(bad, 0), undefined, `byte ${i} flipped`);
  }
});

test('a scan skips a damaged record and a torn tail, counting them, and keeps the rest', () => {
  const recs = [0, 1, 2].map((i) => Buffer.concat([encodeHeader([req(i)], i + 1, 1), req(i)]));
  const bad = Buffer.from(recs[1] ?? Buffer.alloc(0));
  bad[HEADER_BYTES + 2] = 0;
  const torn = (recs[2] ?? Buffer.alloc(0)).subarray(0, 10);
  const scan = scanSegment(Buffer.concat([recs[0] ?? Buffer.alloc(0), bad, recs[2] ?? Buffer.alloc(0), torn]));
  assert.deepEqual(
    scan.records.map((r) => r.seq),
    [1, 3],
  );
  assert.equal(scan.corruptRegions, 2);
  assert.equal(scan.corruptBytes, bad.length + torn.length);
});

test('records survive a reopen in order; acknowledged ones are not replayed', async () => {
  const dir = tempDir();
  const log = await SegmentLog.open(opts(dir));
  const seqs: number[] = [];
  for (let i = 0; i < 10; i++) seqs.push(await log.append([req(i)], i));
  log.ack(seqs[0] ?? 0);
  log.ack(seqs[4] ?? 0);
  await log.close();
  const again = await SegmentLog.open(opts(dir));
  assert.deepEqual(
    again.recovered.map((r) => r.bytes.toString()),
    [1, 2, 3, 5, 6, 7, 8, 9].map((i) => req(i).toString()),
  );
  assert.deepEqual(
    again.recovered.map((r) => r.items),
    [1, 2, 3, 5, 6, 7, 8, 9],
  );
  assert.deepEqual(again.report, { records: 8, corruptRecords: 0, corruptBytes: 0 });
  // New records continue the sequence after the recovered ones.
  const next = await again.append([req(10)], 1);
  assert.ok(next > (again.recovered.at(-1)?.seq ?? Infinity));
  await again.close();
});

test('a segment is deleted once every record in it is acknowledged', async () => {
  const dir = tempDir();
  const log = await SegmentLog.open(opts(dir, { segmentBytes: 100 }));
  const seqs: number[] = [];
  for (let i = 0; i < 12; i++) seqs.push(await log.append([Buffer.alloc(40, i)], 1));
  const before = segments(dir).length;
  assert.ok(before >= 4, `${before} segments`);
  for (const s of seqs.slice(0, 6)) log.ack(s);
  assert.ok(segments(dir).length < before);
  for (const s of seqs.slice(6)) log.ack(s);
  assert.deepEqual(segments(dir), []);
  assert.equal(log.diskBytes(), 12 * 12);
  await log.close();
  const again = await SegmentLog.open(opts(dir));
  assert.equal(again.recovered.length, 0);
  await again.close();
});

test('the ack journal is rewritten with only the acks that still matter', async () => {
  const dir = tempDir();
  const log = await SegmentLog.open(opts(dir, { segmentBytes: 100 }));
  const keep = await log.append([req(0)], 1);
  for (let i = 0; i < 10_000; i++) log.ack(await log.append([req(i)], 1));
  await new Promise((r) => setImmediate(r));
  await log.close();
  assert.ok(statSync(join(dir, 'acks.log')).size < 4097 * 12, 'journal bounded');
  const again = await SegmentLog.open(opts(dir));
  assert.deepEqual(
    again.recovered.map((r) => r.seq),
    [keep],
  );
  await again.close();
});

test('a torn tail (kill -9 mid-write) and a flipped byte are skipped and counted at open', async () => {
  const dir = tempDir();
  const log = await SegmentLog.open(opts(dir));
  for (let i = 0; i < 5; i++) await log.append([req(i)], 1);
  await log.close();
  const [seg] = segments(dir);
  const path = join(dir, seg ?? '');
  const buf = readFileSync(path);
  const second = HEADER_BYTES + req(0).length;
  buf[second + HEADER_BYTES + 1] = (buf[second + HEADER_BYTES + 1] ?? 0) ^ 0xff;
  writeFileSync(path, buf);
  appendFileSync(path, encodeHeader([req(9)], 99, 1).subarray(0, 17));
  const again = await SegmentLog.open(opts(dir));
  assert.deepEqual(
    again.recovered.map((r) => r.bytes.toString()),
    [0, 2, 3, 4].map((i) => req(i).toString()),
  );
  assert.equal(again.report.corruptRecords, 2);
  // New data goes to a new segment, after the damage.
  await again.append([req(5)], 1);
  await again.close();
  const third = await SegmentLog.open(opts(dir));
  assert.equal(third.recovered.at(-1)?.bytes.toString(), req(5).toString());
  await third.close();
});

test('compaction.on_start rewrites what is left into one segment, without acked or damaged bytes', async () => {
  const dir = tempDir();
  const log = await SegmentLog.open(opts(dir, { segmentBytes: 64 }));
  const seqs: number[] = [];
  for (let i = 0; i < 8; i++) seqs.push(await log.append([Buffer.alloc(30, i)], 1));
  for (const s of seqs.filter((_, i) => i % 2 === 0)) log.ack(s);
  await log.close();
  assert.ok(segments(dir).length > 1);
  const again = await SegmentLog.open(opts(dir, { compactOnStart: true }));
  assert.equal(segments(dir).length, 1);
  assert.deepEqual(
    again.recovered.map((r) => r.bytes[0]),
    [1, 3, 5, 7],
  );
  for (const r of again.recovered.slice(0, 2)) again.ack(r.seq);
  await again.close();
  const third = await SegmentLog.open(opts(dir));
  assert.deepEqual(
    third.recovered.map((r) => r.bytes[0]),
    [5, 7],
  );
  await third.close();
});

test('with fsync, concurrent appends share flushes and all are durable', async () => {
  const dir = tempDir();
  const log = await SegmentLog.open(opts(dir, { fsync: true }));
  const seqs = await Promise.all([0, 1, 2, 3, 4].map((i) => log.append([req(i)], 1)));
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => a - b),
  );
  await log.close();
  const again = await SegmentLog.open(opts(dir));
  assert.equal(again.recovered.length, 5);
  await again.close();
});

test("one opener at a time: a held directory is refused after the timeout; a dead owner's lock is taken over", async () => {
  const dir = tempDir();
  const log = await SegmentLog.open(opts(dir));
  await assert.rejects(SegmentLog.open(opts(dir, { lockTimeoutMs: 60 })), /locked by another running process/);
  await log.close();
  assert.equal(existsSync(join(dir, 'LOCK')), false);
  writeFileSync(join(dir, 'LOCK'), '999999999');
  const again = await SegmentLog.open(opts(dir));
  await again.close();
});

test('appending after close is refused with a storage error; closing twice is fine', async () => {
  const log = await SegmentLog.open(opts(tempDir()));
  await log.close();
  await log.close();
  await assert.rejects(log.append([req(1)], 1), { code: 'TG_STORAGE_UNAVAILABLE' });
  log.ack(12345);
});
