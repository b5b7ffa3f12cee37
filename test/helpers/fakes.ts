// Test doubles for the service-side contracts: a recording logger, an in-memory telemetry registry,
// a recording consumer, and a host. Used by component tests so they need not start a service.
import type {
  Counter,
  CreateSettings,
  Gauge,
  Histogram,
  Host,
  Component,
  Logger,
  Telemetry,
} from '../../src/contracts/component.ts';
import type { Consumer, ConsumeResult } from '../../src/contracts/consumer.ts';
import type { Payload } from '../../src/contracts/payload.ts';
import type { Kind } from '../../src/contracts/signal.ts';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that records every line (including debug) for assertions. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[];
  private readonly base: Record<string, unknown>;
  constructor(lines: LogLine[] = [], base: Record<string, unknown> = {}) {
    this.lines = lines;
    this.base = base;
  }
  debug(msg: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'debug', msg, fields: { ...this.base, ...fields } });
  }
  info(msg: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'info', msg, fields: { ...this.base, ...fields } });
  }
  warn(msg: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'warn', msg, fields: { ...this.base, ...fields } });
  }
  error(msg: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'error', msg, fields: { ...this.base, ...fields } });
  }
  isDebugEnabled(): boolean {
    return true;
  }
  child(fields: Record<string, unknown>): Logger {
    return new RecordingLogger(this.lines, { ...this.base, ...fields });
  }
  /** All recorded text (messages and field values), for "never logs a secret" assertions. */
  text(): string {
    return this.lines.map((l) => `${l.level} ${l.msg} ${JSON.stringify(l.fields)}`).join('\n');
  }
}

function key(name: string, labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`);
  return `${name}{${parts.join(',')}}`;
}

/** Telemetry that keeps values in a map keyed `name{k=v,...}` (labels sorted). */
export class MemoryTelemetry implements Telemetry {
  readonly values = new Map<string, number>();
  private readonly observers = new Map<string, () => number>();
  counter(name: string, _help: string, labels: Readonly<Record<string, string>>): Counter {
    const k = key(name, labels);
    if (!this.values.has(k)) this.values.set(k, 0);
    return { add: (n: number) => this.values.set(k, (this.values.get(k) ?? 0) + n) };
  }
  gauge(name: string, _help: string, labels: Readonly<Record<string, string>>): Gauge {
    const k = key(name, labels);
    return { set: (v: number) => this.values.set(k, v) };
  }
  observe(name: string, _help: string, labels: Readonly<Record<string, string>>, read: () => number): void {
    this.observers.set(key(name, labels), read);
  }
  histogram(name: string, _help: string, labels: Readonly<Record<string, string>>): Histogram {
    const k = key(name, labels);
    return {
      record: (v: number) => {
        this.values.set(`${k}:count`, (this.values.get(`${k}:count`) ?? 0) + 1);
        this.values.set(`${k}:sum`, (this.values.get(`${k}:sum`) ?? 0) + v);
      },
    };
  }
  /** Current value of a counter, gauge or observed gauge; 0 when never touched. */
  get(name: string, labels: Readonly<Record<string, string>>): number {
    const k = key(name, labels);
    const read = this.observers.get(k);
    return read ? read() : (this.values.get(k) ?? 0);
  }
}

/** Settings for creating a component in a test. */
export function testSettings(
  kind: Kind,
  id: string,
  telemetry = new MemoryTelemetry(),
  logger = new RecordingLogger(),
): CreateSettings & { telemetry: MemoryTelemetry; logger: RecordingLogger } {
  const slash = id.indexOf('/');
  const type = slash < 0 ? id : id.slice(0, slash);
  const name = slash < 0 ? '' : id.slice(slash + 1);
  return { id: { type, name, id }, kind, logger, telemetry };
}

/** A host holding the given extensions. */
export function testHost(extensions: Record<string, Component> = {}): Host {
  return { getExtension: (id) => extensions[id] };
}

/** A consumer that records payloads and answers with `result` (success by default). */
export class RecordingConsumer implements Consumer {
  readonly payloads: Payload[] = [];
  result: ConsumeResult = { status: 'success' };
  private waiters: { items: number; resolve: () => void }[] = [];
  consume(payload: Payload): Promise<ConsumeResult> {
    if (this.result.status === 'success') {
      this.payloads.push(payload);
      this.wake();
    }
    return Promise.resolve(this.result);
  }
  /** Total items received so far. */
  items(): number {
    return this.payloads.reduce((n, p) => n + p.items, 0);
  }
  /** Resolves once at least `items` items have arrived (tests bound this with their own timeout). */
  waitForItems(items: number): Promise<void> {
    if (this.items() >= items) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ items, resolve }));
  }
  private wake(): void {
    const have = this.items();
    this.waiters = this.waiters.filter((w) => {
      if (have < w.items) return true;
      w.resolve();
      return false;
    });
  }
}
