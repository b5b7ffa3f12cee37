// What the health_check extension knows of the collector: whether the pipelines are ready, each
// component's last state (from the service's lifecycle hooks), and the exporter failures of the
// last `interval` for check_collector_pipeline. Bounded: one entry per component of the graph, and
// at most threshold + 1 failure times.
import type { ComponentInstance, ComponentStatus, StatusEvent } from '../../../contracts/component.ts';

/** Go's healthcheck states: not ready until every pipeline has started; unavailable again at shutdown. */
export type Readiness = 'unavailable' | 'ready' | 'stopping';

/** One component's last state. */
export interface ComponentState {
  readonly instance: ComponentInstance;
  readonly status: ComponentStatus;
  readonly error?: Error;
  readonly timeMs: number;
}

/** The exporter-failure window of check_collector_pipeline. */
export interface FailureWindow {
  readonly intervalMs: number;
  readonly threshold: number;
}

/** The mutable health of one collector, fed by the lifecycle hooks. */
export class HealthState {
  readiness: Readiness = 'unavailable';
  /** When the collector became ready (ms since the epoch); 0 before. */
  readyAtMs = 0;
  private readonly states = new Map<string, ComponentState>();
  private readonly window: FailureWindow | undefined;
  private failureTimes: number[] = [];

  constructor(window?: FailureWindow) {
    this.window = window;
  }

  /** Records a component's state change. */
  record(event: StatusEvent): void {
    const key = `${event.instance.kind}:${event.instance.id}`;
    this.states.set(key, event);
    if (event.instance.kind === 'exporter' && event.status === 'recoverable_error') this.addFailure(event.timeMs);
  }

  /** Every component's last state, in the order they were first seen. */
  components(): readonly ComponentState[] {
    return [...this.states.values()];
  }

  /** Whether exporters failed more than the threshold within the interval (false when not checked). */
  isPipelineFailing(nowMs: number): boolean {
    if (this.window === undefined) return false;
    this.prune(nowMs);
    return this.failureTimes.length > this.window.threshold;
  }

  private addFailure(timeMs: number): void {
    if (this.window === undefined) return;
    this.failureTimes.push(timeMs);
    // Only "more than threshold" matters, so older entries beyond threshold + 1 can go.
    if (this.failureTimes.length > this.window.threshold + 1) this.failureTimes.shift();
  }

  private prune(nowMs: number): void {
    const window = this.window;
    if (window === undefined) return;
    this.failureTimes = this.failureTimes.filter((t) => nowMs - t < window.intervalMs);
  }
}
