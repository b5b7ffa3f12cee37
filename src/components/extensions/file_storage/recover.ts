// Reading a persistent queue's directory at open: every segment scanned in order, records already
// acknowledged (per the ack journal) left out, damaged regions skipped and counted, segments that
// hold nothing left to send removed. What remains is replayed by the exporter, oldest first.
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { RecoveredRecord } from '../../../contracts/queue-storage.ts';
import { readAcks } from './ack-journal.ts';
import { scanSegment } from './record-format.ts';
import { isSegmentName, Segment } from './segment.ts';

/** The state of a directory after recovery. */
export interface Recovered {
  readonly records: RecoveredRecord[];
  /** Segments that still hold unacknowledged records, oldest first. */
  readonly segments: Segment[];
  readonly segmentOf: Map<number, Segment>;
  readonly nextSeq: number;
  readonly corruptRecords: number;
  readonly corruptBytes: number;
}

export const JOURNAL_NAME = 'acks.log';

/** Scans `dir`; removes segments with nothing left to send and stale temporary files. */
export function recoverDir(dir: string): Recovered {
  const acks = readAcks(join(dir, JOURNAL_NAME));
  let maxSeq = 0;
  for (const seq of acks) maxSeq = Math.max(maxSeq, seq);
  const records: RecoveredRecord[] = [];
  const segments: Segment[] = [];
  const segmentOf = new Map<number, Segment>();
  const seen = new Set<number>();
  let corruptRecords = 0;
  let corruptBytes = 0;
  const names = readdirSync(dir).sort();
  for (const name of names) {
    if (name.endsWith('.tmp')) unlinkSync(join(dir, name));
    if (!isSegmentName(name)) continue;
    maxSeq = Math.max(maxSeq, Number.parseInt(name, 10));
    const buf = readFileSync(join(dir, name));
    const scan = scanSegment(buf);
    corruptRecords += scan.corruptRegions;
    corruptBytes += scan.corruptBytes;
    const segment = new Segment(dir, name, buf.length);
    for (const r of scan.records) {
      maxSeq = Math.max(maxSeq, r.seq);
      // A record seen twice (a compaction interrupted between writing and removing) is sent once.
      if (seen.has(r.seq)) continue;
      seen.add(r.seq);
      if (acks.has(r.seq)) {
        segment.acked.push(r.seq);
        continue;
      }
      records.push({ seq: r.seq, items: r.items, bytes: r.bytes });
      segmentOf.set(r.seq, segment);
      segment.live++;
    }
    if (segment.live === 0) segment.remove();
    else segments.push(segment);
  }
  records.sort((a, b) => a.seq - b.seq);
  return { records, segments, segmentOf, nextSeq: maxSeq + 1, corruptRecords, corruptBytes };
}
