// compaction.on_start: the records left to send are rewritten into one fresh segment, so acknowledged
// records, damaged regions and half-empty segments stop taking disk. Crash-safe by order: the new
// segment is written to a temp file, fsynced and renamed before the old ones are removed; a crash
// in between leaves each record twice, and recovery sends a sequence number once.
import { closeSync, fsyncSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeAll } from './ack-journal.ts';
import { encodeHeader } from './record-format.ts';
import type { Recovered } from './recover.ts';
import { Segment, segmentName } from './segment.ts';

/** Rewrites `rec` into one segment when that reclaims anything; returns the new state. */
export function compactRecovered(dir: string, rec: Recovered): Recovered {
  const wasted = rec.corruptRecords > 0 || rec.segments.length > 1 || rec.segments.some((s) => s.acked.length > 0);
  if (!wasted) return rec;
  const name = segmentName(rec.nextSeq);
  const tmp = join(dir, `${name}.tmp`);
  const fd = openSync(tmp, 'w');
  let size = 0;
  for (const r of rec.records) {
    const header = encodeHeader([r.bytes], r.seq, r.items);
    writeAll(fd, header);
    writeAll(fd, r.bytes);
    size += header.length + r.bytes.length;
  }
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, join(dir, name));
  for (const s of rec.segments) s.remove();
  const segment = new Segment(dir, name, size);
  segment.live = rec.records.length;
  const segmentOf = new Map<number, Segment>();
  for (const r of rec.records) segmentOf.set(r.seq, segment);
  const segments = rec.records.length > 0 ? [segment] : [];
  if (rec.records.length === 0) segment.remove();
  return { ...rec, segments, segmentOf, nextSeq: rec.nextSeq + 1 };
}
