// One opener per queue directory: a `LOCK` file holding the owner's pid, created exclusively. A lock
// left by a process that is gone (kill -9, crash, a container restart where we are pid 1 again) is
// taken over; a live owner is waited for up to `timeout` (Go's file_storage `timeout`, a bbolt lock wait).
import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TelegateError } from '../../../errors/catalogue.ts';

const RETRY_MS = 50;
/** Directories this process holds: a LOCK naming our own pid and not listed here is stale. */
const held = new Set<string>();

/** Takes the lock of `dir`; resolves with its release function. */
export async function lockDir(dir: string, timeoutMs: number): Promise<() => void> {
  const path = join(dir, 'LOCK');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (tryCreate(path) || takeOverStale(dir, path)) {
      held.add(dir);
      return () => {
        if (!held.delete(dir)) return;
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    }
    if (Date.now() >= deadline) {
      throw new TelegateError(
        'TG_STORAGE_UNAVAILABLE',
        `${dir} is locked by another running process (${path}); two collectors cannot share one file_storage directory`,
      );
    }
    await sleep(RETRY_MS);
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  writeSync(fd, String(process.pid));
  closeSync(fd);
  return true;
}

/** Overwrites a LOCK whose owner is gone. */
function takeOverStale(dir: string, path: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
  } catch {
    return false;
  }
  if (isAlive(pid) && !(pid === process.pid && !held.has(dir))) return false;
  try {
    unlinkSync(path);
  } catch {
    return false;
  }
  return tryCreate(path);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, owned by another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
