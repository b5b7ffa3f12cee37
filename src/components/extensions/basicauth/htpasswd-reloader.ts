// Reloads the htpasswd sources when the watcher fires: one load at a time (a change during a load
// triggers one more), a load whose file bytes are unchanged does nothing, a failed load keeps the
// users in force and reports why.
import type { HtpasswdLoad } from './htpasswd-loader.ts';
import type { FileWatcher } from './file-watcher.ts';

type Loaded = Extract<HtpasswdLoad, { ok: true }>;

/** What the reloader needs from its owner. */
export interface ReloaderHooks {
  readonly load: () => Promise<HtpasswdLoad>;
  /** Digest of the file bytes in force. */
  readonly digest: string;
  readonly onLoaded: (loaded: Loaded) => void;
  readonly onFailed: (message: string) => void;
}

/** Serialises reloads triggered by a FileWatcher. */
export class HtpasswdReloader {
  private readonly hooks: ReloaderHooks;
  private digest: string;
  private running = false;
  private again = false;
  private stopped = false;
  private watcher: FileWatcher | undefined;

  constructor(hooks: ReloaderHooks) {
    this.hooks = hooks;
    this.digest = hooks.digest;
  }

  /** Starts `watcher`, whose changes call trigger(). */
  watch(watcher: FileWatcher): void {
    this.watcher = watcher;
    watcher.start();
  }

  /** Reloads now, or once more after the reload under way. */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run();
  }

  /** Stops the watcher; a load under way is then ignored. */
  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
    this.watcher = undefined;
  }

  private async run(): Promise<void> {
    do await this.loadOnce();
    while (this.takeAgain() && !this.stopped);
    this.running = false;
  }

  private async loadOnce(): Promise<void> {
    const loaded = await this.hooks.load();
    if (this.stopped) return;
    if (!loaded.ok) this.hooks.onFailed(loaded.message);
    else if (loaded.fileDigest !== this.digest) {
      this.digest = loaded.fileDigest;
      this.hooks.onLoaded(loaded);
    }
  }

  /** Whether a change arrived during the last load (and resets the flag). */
  private takeAgain(): boolean {
    const again = this.again;
    this.again = false;
    return again;
  }
}
