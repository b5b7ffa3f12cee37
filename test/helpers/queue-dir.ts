// Test helper: a fresh directory for a persistent queue (examples/seed/edge.yaml reads
// TELEGATE_QUEUE_DIR), so a test never writes the default /var/lib/telegate/queue, two edges never
// share a queue's lock, and no edge replays another's data. Removed when the test process exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The env that points a seed edge's queue at a new temporary directory. */
export function queueDirEnv(): { TELEGATE_QUEUE_DIR: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tg-queue-'));
  process.once('exit', () => {
    rmSync(dir, { recursive: true, force: true });
  });
  return { TELEGATE_QUEUE_DIR: dir };
}
