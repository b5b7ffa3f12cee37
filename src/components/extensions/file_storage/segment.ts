// One segment file of a persistent queue: records appended in order, the count of those not yet
// acknowledged, and (while it is the one written to) its file descriptor with a group fsync: every
// append waiting for durability shares the next fdatasync instead of paying one each.
import { closeSync, fdatasync, openSync, unlinkSync, writevSync } from 'node:fs';
import { join } from 'node:path';

/** Segment files are named by the sequence number they were opened at, zero-padded so names sort. */
export function segmentName(seq: number): string {
  return `${String(seq).padStart(16, '0')}.seg`;
}

/** Whether `name` is a segment file. */
export function isSegmentName(name: string): boolean {
  return /^\d{16}\.seg$/.test(name);
}

/** One segment. */
export class Segment {
  readonly path: string;
  size: number;
  /** Records written and not acknowledged. */
  live = 0;
  /** Sequence numbers acknowledged while this file exists (kept in the ack journal). */
  readonly acked: number[] = [];
  private fd = -1;
  private syncing: Promise<void> | null = null;
  private waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private retired = false;

  constructor(dir: string, name: string, size: number) {
    this.path = join(dir, name);
    this.size = size;
  }

  /** Opens the file for appending (created if missing). */
  openForAppend(): void {
    this.fd = openSync(this.path, 'a');
  }

  get isOpen(): boolean {
    return this.fd >= 0;
  }

  /** Appends the buffers; throws the fs error when the write fails (the tail may then be torn). */
  write(buffers: Buffer[]): void {
    let total = 0;
    for (const b of buffers) total += b.length;
    let done = writevSync(this.fd, buffers);
    // A regular file takes a write whole but POSIX allows less: write what is left.
    while (done < total) done += writevSync(this.fd, [Buffer.concat(buffers).subarray(done)]);
    this.size += total;
  }

  /** Resolves once everything written so far is on stable storage. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (this.syncing === null) this.startSync();
    });
  }

  private startSync(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.syncing = new Promise<void>((done) => {
      fdatasync(this.fd, (err) => {
        for (const w of batch) {
          if (err) w.reject(err);
          else w.resolve();
        }
        done();
      });
    }).then(() => {
      this.syncing = null;
      if (this.waiting.length > 0) this.startSync();
      else if (this.retired) this.closeFd();
    });
  }

  /** Stops appending here: the descriptor is closed once no fsync is running on it. */
  retire(): void {
    this.retired = true;
    if (this.syncing === null) this.closeFd();
  }

  /** Waits for a running fsync, then closes. */
  async close(): Promise<void> {
    this.retired = true;
    while (this.syncing !== null) await this.syncing;
    this.closeFd();
  }

  /** Removes the file (every record acknowledged). */
  remove(): void {
    this.retire();
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone (removed by hand): nothing left to reclaim.
    }
  }

  private closeFd(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
