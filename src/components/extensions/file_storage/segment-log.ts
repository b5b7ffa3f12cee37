// A persistent queue on disk (README.md "On-disk format"): request bytes appended unchanged to
// segment files with a checksummed header, acknowledgements appended to a journal, a segment
// removed once every record in it is acknowledged. Appends are written synchronously (a page-cache
// copy, microseconds) so their order is the log's order; with fsync they then wait for a shared fdatasync.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { QueueLog, RecoveredRecord, RecoveryReport } from '../../../contracts/queue-storage.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { errorMessage } from '../../../errors/thrown.ts';
import { AckJournal } from './ack-journal.ts';
import { lockDir } from './dir-lock.ts';
import { encodeHeader } from './record-format.ts';
import { JOURNAL_NAME, recoverDir } from './recover.ts';
import { Segment, segmentName } from './segment.ts';
import { compactRecovered } from './compact.ts';

/** A segment stops taking records past this size (one record may take it over). */
export const SEGMENT_BYTES = 8 * 1024 * 1024;
// The journal is rewritten when it holds this many more entries than acks of records still on disk.
const JOURNAL_SLACK = 4096;

/** How to open a log. */
export interface SegmentLogOptions {
  readonly dir: string;
  readonly fsync: boolean;
  readonly lockTimeoutMs: number;
  readonly compactOnStart: boolean;
  /** Directory mode when created (Go's directory_permissions). */
  readonly dirMode?: number;
  readonly segmentBytes?: number;
}

/** The file-backed QueueLog. */
export class SegmentLog implements QueueLog {
  readonly recovered: readonly RecoveredRecord[];
  readonly report: RecoveryReport;
  private readonly dir: string;
  private readonly fsync: boolean;
  private readonly segmentBytes: number;
  private readonly segments: Set<Segment>;
  private readonly segmentOf: Map<number, Segment>;
  private readonly journal: AckJournal;
  private readonly release: () => void;
  private active: Segment | null = null;
  private nextSeq: number;
  /** Acks of records whose segment is still on disk: the journal must keep these. */
  private liveAckCount = 0;
  private closed: Promise<void> | null = null;

  private constructor(opts: SegmentLogOptions, release: () => void) {
    this.dir = opts.dir;
    this.fsync = opts.fsync;
    this.segmentBytes = opts.segmentBytes ?? SEGMENT_BYTES;
    this.release = release;
    let rec = recoverDir(opts.dir);
    if (opts.compactOnStart) rec = compactRecovered(opts.dir, rec);
    this.recovered = rec.records;
    this.report = { records: rec.records.length, corruptRecords: rec.corruptRecords, corruptBytes: rec.corruptBytes };
    this.segments = new Set(rec.segments);
    this.segmentOf = rec.segmentOf;
    this.nextSeq = rec.nextSeq;
    const live = this.liveAcks();
    this.liveAckCount = live.length;
    this.journal = new AckJournal(join(opts.dir, JOURNAL_NAME), live);
  }

  /** Opens `opts.dir` (created if missing), taking its lock. */
  static async open(opts: SegmentLogOptions): Promise<SegmentLog> {
    mkdirSync(opts.dir, { recursive: true, mode: opts.dirMode ?? 0o750 });
    const release = await lockDir(opts.dir, opts.lockTimeoutMs);
    try {
      return new SegmentLog(opts, release);
    } catch (err) {
      release();
      throw err;
    }
  }

  async append(parts: readonly Buffer[], items: number): Promise<number> {
    if (this.closed !== null) throw new TelegateError('TG_STORAGE_UNAVAILABLE', `the queue in ${this.dir} is closed`);
    const seq = this.nextSeq++;
    const segment = this.writable(seq);
    try {
      segment.write([encodeHeader(parts, seq, items), ...parts]);
    } catch (err) {
      // The tail may be torn: later records go to a new segment; recovery skips the damage.
      this.retireActive();
      throw storageError(this.dir, err);
    }
    segment.live++;
    this.segmentOf.set(seq, segment);
    if (this.fsync) {
      try {
        await segment.sync();
      } catch (err) {
        throw storageError(this.dir, err);
      }
    }
    if (segment === this.active && segment.size >= this.segmentBytes) this.retireActive();
    return seq;
  }

  ack(seq: number): void {
    const segment = this.segmentOf.get(seq);
    if (segment === undefined || this.closed !== null) return;
    this.segmentOf.delete(seq);
    segment.live--;
    segment.acked.push(seq);
    this.liveAckCount++;
    this.journal.add(seq);
    if (segment.live === 0) {
      // Nothing left to send in it: the whole file goes (the active one too; the next append opens another).
      if (segment === this.active) this.active = null;
      this.liveAckCount -= segment.acked.length;
      segment.remove();
      this.segments.delete(segment);
    }
    // Bounded by the records still on disk: acks of removed segments are dropped from the journal.
    if (this.journal.entries > JOURNAL_SLACK + 2 * this.liveAckCount) this.journal.rewrite(this.liveAcks());
  }

  diskBytes(): number {
    let bytes = this.journal.entries * 12;
    for (const s of this.segments) bytes += s.size;
    return bytes;
  }

  close(): Promise<void> {
    this.closed ??= this.doClose();
    return this.closed;
  }

  private async doClose(): Promise<void> {
    this.journal.close();
    for (const s of this.segments) await s.close();
    this.release();
  }

  /** The segment to append to, opening a new one named after `seq` when needed. */
  private writable(seq: number): Segment {
    if (this.active !== null) return this.active;
    const segment = new Segment(this.dir, segmentName(seq), 0);
    try {
      segment.openForAppend();
    } catch (err) {
      throw storageError(this.dir, err);
    }
    this.segments.add(segment);
    this.active = segment;
    return segment;
  }

  private retireActive(): void {
    const a = this.active;
    this.active = null;
    if (a === null) return;
    if (a.live === 0) {
      this.liveAckCount -= a.acked.length;
      a.remove();
      this.segments.delete(a);
    } else a.retire();
  }

  private liveAcks(): number[] {
    const out: number[] = [];
    for (const s of this.segments) for (const seq of s.acked) out.push(seq);
    return out;
  }
}

function storageError(dir: string, err: unknown): TelegateError {
  return new TelegateError(
    'TG_STORAGE_UNAVAILABLE',
    `writing the persistent queue in ${dir} failed: ${errorMessage(err)}`,
    {
      cause: err,
    },
  );
}
