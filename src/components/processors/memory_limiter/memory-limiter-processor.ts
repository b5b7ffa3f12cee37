// The memory_limiter processor: hands data on while the last memory check was below the soft limit,
// and refuses it with a retryable TG_MEMORY_LIMITED (UNAVAILABLE / 503 with retry information) above
// it, so that senders back off and retry instead of the process running out of memory. A refusal
// costs one branch: the data is neither decoded nor copied.
import type { Component, Counter, CreateSettings } from '../../../contracts/component.ts';
import type { Consumer, ConsumeResult } from '../../../contracts/consumer.ts';
import type { Room } from '../../../contracts/room.ts';
import type { Payload } from '../../../contracts/payload.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { countItems } from '../../../pdata/count.ts';
import { memoryLimitsOf, type MemoryLimiterConfig } from './config.ts';
import { machineMemoryBytes } from './machine-memory.ts';
import { MemoryChecker, measureMemoryBytes, type CheckerOptions } from './memory-checker.ts';

/** Go's processorhelper item names per signal. */
const UNIT: Record<Signal, string> = { traces: 'spans', metrics: 'metric_points', logs: 'log_records' };

/** The payload's item count, computed once and kept on it (contracts/payload.ts). */
function itemsOf(payload: Payload): number {
  if (!(payload.items >= 0)) payload.items = countItems(payload.signal, payload.bytes);
  return payload.items;
}

/** A running limiter in front of `next`. */
export class MemoryLimiterProcessor implements Component, Consumer {
  private readonly next: Consumer;
  private readonly checker: MemoryChecker;
  private readonly accepted: Counter;
  private readonly refused: Counter;
  private readonly retryAfterMs: number;
  /**
   * Never waited on: while memory is above the soft limit every request is refused at once (DESIGN.md §4b),
   * so a receiver must not wait for room downstream first.
   */
  readonly room: Room = {
    hasRoom: () => true,
    onRoom: () => () => undefined,
    isRefusing: () => this.checker.mustRefuse,
  };

  constructor(
    settings: CreateSettings,
    config: MemoryLimiterConfig,
    signal: Signal,
    next: Consumer,
    overrides: Partial<CheckerOptions> = {},
  ) {
    this.next = next;
    this.checker = new MemoryChecker({
      limits: memoryLimitsOf(config, machineMemoryBytes()),
      checkIntervalMs: config.check_interval,
      minGcIntervalSoftMs: config.min_gc_interval_when_soft_limited,
      minGcIntervalHardMs: config.min_gc_interval_when_hard_limited,
      logger: settings.logger,
      ...overrides,
    });
    // Memory is measured again after one interval: retrying sooner would only be refused again.
    this.retryAfterMs = Math.max(config.check_interval, 100);
    const labels = { processor: settings.id.id };
    const unit = UNIT[signal];
    this.accepted = settings.telemetry.counter(
      `otelcol_processor_accepted_${unit}`,
      `Number of ${unit.replace('_', ' ')} successfully pushed into the next component in the pipeline.`,
      labels,
    );
    this.refused = settings.telemetry.counter(
      `otelcol_processor_refused_${unit}`,
      `Number of ${unit.replace('_', ' ')} that were rejected by the next component in the pipeline.`,
      labels,
    );
    // Not in Go: the memory the limiter compares with its limits, read at scrape time, so that an
    // operator can see how close the process runs to the soft limit.
    settings.telemetry.observe(
      'telegate_processor_memory_limiter_usage_bytes',
      'Memory the memory_limiter compares with its limits (V8 heap in use + Buffers), in bytes',
      labels,
      overrides.measure ?? measureMemoryBytes,
    );
  }

  start(): Promise<void> {
    this.checker.start();
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.checker.stop();
    return Promise.resolve();
  }

  /** The checker, for tests and diagnostics. */
  get memory(): MemoryChecker {
    return this.checker;
  }

  consume(payload: Payload): Promise<ConsumeResult> {
    if (!this.checker.mustRefuse) {
      this.accepted.add(itemsOf(payload));
      return this.next.consume(payload);
    }
    this.refused.add(itemsOf(payload));
    const error = new TelegateError('TG_MEMORY_LIMITED', 'data refused due to high memory usage', {
      retryAfterMs: this.retryAfterMs,
    });
    return Promise.resolve({ status: 'retryable', error, retryAfterMs: this.retryAfterMs });
  }
}
