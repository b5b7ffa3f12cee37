// A token file that is read at start and re-read whenever its directory changes, as Go's
// credentialsfile watcher does. The directory is watched, not the file: Kubernetes secret mounts
// replace a `..data` symlink, so the file itself never sees an event. A failed reload keeps the last value.
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../../../contracts/component.ts';
import { errorMessage } from '../../../errors/thrown.ts';

/** Reads `path` (trimmed); throws Go's message when it is missing or empty. */
export function readTokenFile(path: string): string {
  let data: string;
  try {
    data = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`failed to read credentials file "${path}": ${reason(err)}`, { cause: err });
  }
  return checkContent(path, data);
}

function checkContent(path: string, data: string): string {
  const value = data.trim();
  if (value === '') throw new Error(`credentials file "${path}" is empty`);
  return value;
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code === 'ENOENT' ? 'no such file or directory' : e.message;
}

/** Watches a token file; `onChange` gets each new (trimmed, non-empty) content. */
export class TokenFileWatcher {
  private readonly path: string;
  private readonly logger: Logger;
  private readonly onChange: (value: string) => void;
  private last: string;
  private watcher: FSWatcher | undefined;
  private reading = false;
  private again = false;
  /** Settles after the reload in progress (tests wait on it). */
  private idle: Promise<void> = Promise.resolve();

  constructor(path: string, initial: string, logger: Logger, onChange: (value: string) => void) {
    this.path = path;
    this.last = initial;
    this.logger = logger;
    this.onChange = onChange;
  }

  /** Starts watching the file's directory. */
  start(): void {
    this.watcher = watch(dirname(this.path), { persistent: false }, () => {
      this.schedule();
    });
    this.watcher.on('error', (err) => {
      this.logger.warn('stopped watching the credentials file', { file: this.path, error: err.message });
    });
  }

  /** Stops watching. Idempotent. */
  close(): Promise<void> {
    this.watcher?.close();
    this.watcher = undefined;
    return this.idle;
  }

  // Events come in bursts (write, chmod, rename); reads are coalesced so at most one is pending.
  private schedule(): void {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    this.idle = this.reload().finally(() => {
      this.reading = false;
      if (this.again && this.watcher !== undefined) {
        this.again = false;
        this.schedule();
      }
    });
  }

  private async reload(): Promise<void> {
    let value: string;
    try {
      value = checkContent(this.path, await readFile(this.path, 'utf8'));
    } catch (err) {
      // A replacement in progress can show a missing or empty file for a moment.
      this.logger.warn('failed to reload credentials file, keeping last value', {
        file: this.path,
        error: errorMessage(err),
      });
      return;
    }
    if (value === this.last || this.watcher === undefined) return;
    this.last = value;
    this.logger.info('refresh token', { filename: this.path });
    this.onChange(value);
  }
}
