// Notices changes to one file without a restart: fs.watch on its directory (which also sees the
// atomic rename and symlink swap Kubernetes uses to update mounted Secrets) plus a stat poll as a
// fallback where fs.watch is unreliable (network and overlay filesystems), debounced into one call.
import { watch, watchFile, unwatchFile, type FSWatcher, type Stats } from 'node:fs';
import { dirname } from 'node:path';

/** Timing of the watcher. */
export interface FileWatcherOptions {
  /** Interval of the stat poll. */
  readonly pollMs: number;
  /** Quiet time after the last event before `onChange` runs (editors write in several steps). */
  readonly debounceMs: number;
}

/** Calls `onChange` (debounced) after the file or its directory changes. */
export class FileWatcher {
  private readonly path: string;
  private readonly onChange: () => void;
  private readonly options: FileWatcherOptions;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private readonly onStat = (curr: Stats, prev: Stats): void => {
    if (curr.mtimeMs !== prev.mtimeMs || curr.size !== prev.size || curr.ino !== prev.ino) this.schedule();
  };

  constructor(path: string, onChange: () => void, options: FileWatcherOptions) {
    this.path = path;
    this.onChange = onChange;
    this.options = options;
  }

  /** Starts watching; a directory that cannot be watched leaves the poll alone in charge. */
  start(): void {
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, () => {
        this.schedule();
      });
      this.watcher.on('error', () => {
        this.closeWatcher();
      });
    } catch {
      this.watcher = undefined;
    }
    watchFile(this.path, { persistent: false, interval: this.options.pollMs }, this.onStat);
    this.polling = true;
  }

  /** Stops watching; idempotent. */
  stop(): void {
    this.closeWatcher();
    if (this.polling) unwatchFile(this.path, this.onStat);
    this.polling = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private closeWatcher(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, this.options.debounceMs);
    this.timer.unref();
  }
}
