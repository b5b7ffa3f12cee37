// Tells the extensions that watch the collector's lifecycle (contracts: LifecycleWatcher) when the
// pipelines are ready, when shutdown begins, and every component's state change. A watcher that
// throws is logged and skipped: a health endpoint must never stop the collector.
import type {
  Component,
  ComponentInstance,
  ComponentStatus,
  LifecycleWatcher,
  Logger,
  StatusEvent,
} from '../contracts/component.ts';
import { errorMessage } from '../errors/thrown.ts';

/** Whether an extension implements the watcher hooks. */
export function isLifecycleWatcher(c: Component): c is Component & LifecycleWatcher {
  const w = c as Partial<LifecycleWatcher>;
  return (
    typeof w.pipelinesReady === 'function' &&
    typeof w.pipelinesStopping === 'function' &&
    typeof w.componentStatusChanged === 'function'
  );
}

/** The service's side of the lifecycle hooks. */
export class LifecycleNotifier {
  private readonly logger: Logger;
  private watchers: (Component & LifecycleWatcher)[] = [];

  constructor(logger: Logger) {
    this.logger = logger;
  }

  /** Registers the watchers among `extensions`. */
  watch(extensions: readonly Component[]): void {
    this.watchers = extensions.filter(isLifecycleWatcher);
  }

  /** A component changed state. */
  status(instance: ComponentInstance, status: ComponentStatus, error?: Error): void {
    if (this.watchers.length === 0) return;
    const base = { instance: { kind: instance.kind, id: instance.id, pipelines: instance.pipelines }, status };
    const event: StatusEvent =
      error === undefined ? { ...base, timeMs: Date.now() } : { ...base, error, timeMs: Date.now() };
    this.each((w) => {
      w.componentStatusChanged(event);
    });
  }

  /** Every component has started. */
  ready(): void {
    this.each((w) => {
      w.pipelinesReady();
    });
  }

  /** Shutdown begins. */
  stopping(): void {
    this.each((w) => {
      w.pipelinesStopping();
    });
  }

  private each(call: (w: LifecycleWatcher) => void): void {
    for (const w of this.watchers) {
      try {
        call(w);
      } catch (err) {
        this.logger.error('A lifecycle watcher failed', { error: errorMessage(err) });
      }
    }
  }
}
