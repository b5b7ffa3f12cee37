// The acknowledgement journal of a persistent queue: the sequence numbers of records delivered,
// appended as 12-byte entries (seq as u64, crc32c of those 8 bytes). A lost or damaged entry only
// means one record is sent again after a restart (counted as replayed), never that one is lost, so
// the journal is not fsynced; it is rewritten with only the acks that still matter when it grows.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { crc32c } from '../../../util/crc32c.ts';

const ENTRY_BYTES = 12;

/** Reads the acked sequence numbers from `path` (missing file: none); damaged entries are ignored. */
export function readAcks(path: string): Set<number> {
  const acks = new Set<number>();
  if (!existsSync(path)) return acks;
  const buf = readFileSync(path);
  for (let at = 0; at + ENTRY_BYTES <= buf.length; at += ENTRY_BYTES) {
    if (crc32c(buf, 0, at, at + 8) !== buf.readUInt32LE(at + 8)) continue;
    acks.add(buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 0x1_0000_0000);
  }
  return acks;
}

function encode(seqs: readonly number[]): Buffer {
  const buf = Buffer.allocUnsafe(seqs.length * ENTRY_BYTES);
  let at = 0;
  for (const seq of seqs) {
    buf.writeUInt32LE(seq % 0x1_0000_0000, at);
    buf.writeUInt32LE(Math.floor(seq / 0x1_0000_0000), at + 4);
    buf.writeUInt32LE(crc32c(buf, 0, at, at + 8), at + 8);
    at += ENTRY_BYTES;
  }
  return buf;
}

/** An open journal: acks are buffered and written together on the next turn of the event loop. */
export class AckJournal {
  private readonly path: string;
  private fd: number;
  private pending: number[] = [];
  private flushScheduled = false;
  /** Entries in the file or about to be (including ones for segments since deleted). */
  entries: number;

  /** Rewrites the journal at `path` holding exactly `live` (atomically: temp file, fsync, rename). */
  constructor(path: string, live: readonly number[]) {
    this.path = path;
    const tmp = `${path}.tmp`;
    const fd = openSync(tmp, 'w');
    writeAll(fd, encode(live));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    this.fd = openSync(path, 'a');
    this.entries = live.length;
  }

  /** Records `seq` as acknowledged. */
  add(seq: number): void {
    this.pending.push(seq);
    this.entries++;
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flush();
    });
  }

  /** Writes the buffered acks now. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.fd < 0) return;
    writeAll(this.fd, encode(this.pending));
    this.pending = [];
  }

  /** Replaces the file with one holding only `live` (the acks of records still on disk). */
  rewrite(live: readonly number[]): void {
    this.pending = [];
    closeSync(this.fd);
    const next = new AckJournal(this.path, live);
    this.fd = next.fd;
    this.entries = next.entries;
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** writeSync until every byte is written (a regular file may take a write in pieces). */
export function writeAll(fd: number, buf: Buffer): void {
  for (let at = 0; at < buf.length;) at += writeSync(fd, buf, at);
}
