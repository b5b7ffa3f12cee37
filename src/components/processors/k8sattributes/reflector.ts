// List + watch of one resource, kept going for the life of the processor (client-go's Reflector):
// list, then watch from the list's resourceVersion; a watch that ends is reopened from the last
// version seen; a `410 Gone` or a broken watch forces a relist; failures back off exponentially;
// a periodic resync relists. The API server's state is told to `onState` once per change.
import type { Watch } from '@kubernetes/client-node';
import type { ListResult, ResourceSource } from './kube-api.ts';

/** Receives the objects of one resource. */
export interface ReflectorSink {
  replace(items: readonly unknown[]): void;
  upsert(o: unknown): void;
  remove(o: unknown): void;
}

/** Timings; Go's informers resync every 5 minutes. */
export interface ReflectorTimings {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly resyncMs: number;
}

export const DEFAULT_TIMINGS: ReflectorTimings = { initialBackoffMs: 1000, maxBackoffMs: 30_000, resyncMs: 300_000 };

/** The state of the connection to the API server for one resource. */
export type ReflectorState = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/** Keeps one resource's objects in a sink. */
export class Reflector {
  private readonly source: ResourceSource;
  private readonly sink: ReflectorSink;
  private readonly watcher: Watch;
  private readonly timings: ReflectorTimings;
  private readonly onState: (s: ReflectorState) => void;
  private resourceVersion = '';
  private stopped = true;
  private backoffMs: number;
  private controller: AbortController | undefined;
  private wakeUp: (() => void) | undefined;
  /** Ends the current watch wait at once, even before its response headers arrived. */
  private endWatch: (() => void) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  /** Resolves start()'s promise with the outcome of the first list. */
  private settleFirst: ((e: unknown) => void) | undefined;

  constructor(
    watcher: Watch,
    source: ResourceSource,
    sink: ReflectorSink,
    timings: ReflectorTimings,
    onState: (s: ReflectorState) => void,
  ) {
    this.source = source;
    this.sink = sink;
    this.watcher = watcher;
    this.timings = timings;
    this.onState = onState;
    this.backoffMs = timings.initialBackoffMs;
  }

  /** Starts the loop; resolves with the first list's error, or undefined when it succeeded. */
  start(): Promise<unknown> {
    this.stopped = false;
    const first = new Promise<unknown>((resolve) => (this.settleFirst = resolve));
    this.loop = this.run();
    this.resyncTimer = setInterval(() => {
      this.resync();
    }, this.timings.resyncMs);
    this.resyncTimer.unref();
    return first;
  }

  /** Stops the loop and closes the watch. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.resyncTimer !== undefined) clearInterval(this.resyncTimer);
    this.controller?.abort();
    this.wakeUp?.();
    this.endWatch?.();
    await this.loop;
  }

  /** Forces a relist (the periodic resync). */
  resync(): void {
    this.resourceVersion = '';
    this.controller?.abort();
  }

  // A method, not the field: the field is changed by stop() while the loop awaits.
  private isStopped(): boolean {
    return this.stopped;
  }

  private async run(): Promise<void> {
    while (!this.isStopped()) {
      const error = await this.cycle();
      if (this.isStopped()) break;
      if (error === undefined) continue;
      this.onState({ ok: false, error });
      await this.sleep(this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, this.timings.maxBackoffMs);
    }
    this.listed(undefined);
  }

  private listed(error: unknown): void {
    this.settleFirst?.(error);
    this.settleFirst = undefined;
  }

  /** One list (when needed) and one watch; returns the error that ended it, if any. */
  private async cycle(): Promise<unknown> {
    if (this.resourceVersion === '') {
      let listed: ListResult;
      try {
        listed = await this.source.list();
      } catch (err) {
        this.listed(err);
        return err;
      }
      this.listed(undefined);
      if (this.stopped) return undefined;
      this.sink.replace(listed.items);
      this.resourceVersion = listed.resourceVersion;
      this.backoffMs = this.timings.initialBackoffMs;
      this.onState({ ok: true });
    }
    return this.watch();
  }

  private watch(): Promise<unknown> {
    return new Promise((resolve) => {
      this.endWatch = () => {
        resolve(undefined);
      };
      let seen = false;
      const done = (err: unknown): void => {
        this.controller = undefined;
        // Aborted by stop or resync: not a failure. A watch that ends cleanly is reopened from the
        // last version; one that ended without a single event backs off so a closing server is
        // not hammered.
        if (this.stopped || (err !== null && isAbort(err))) resolve(undefined);
        else if (err !== null) {
          this.resourceVersion = '';
          resolve(err);
        } else resolve(seen || this.resourceVersion === '' ? undefined : new Error('watch closed'));
      };
      const onEvent = (type: string, obj: unknown): void => {
        seen = true;
        this.onEvent(type, obj);
      };
      const query = { ...this.source.query, resourceVersion: this.resourceVersion, allowWatchBookmarks: 'true' };
      this.watcher.watch(this.source.path, query, onEvent, done).then(
        (c: AbortController) => {
          if (this.stopped) c.abort();
          else this.controller = c;
        },
        (err: unknown) => {
          done(err);
        },
      );
    });
  }

  private onEvent(type: string, obj: unknown): void {
    const rv = (obj as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
    switch (type) {
      case 'ADDED':
      case 'MODIFIED':
        this.sink.upsert(obj);
        break;
      case 'DELETED':
        this.sink.remove(obj);
        break;
      case 'ERROR':
        // 410 Gone (and any other error status): the version is too old; relist.
        this.resourceVersion = '';
        return;
      default:
        break;
    }
    if (typeof rv === 'string' && rv !== '') this.resourceVersion = rv;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms * (0.8 + Math.random() * 0.4));
      t.unref();
      this.wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}

function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}
