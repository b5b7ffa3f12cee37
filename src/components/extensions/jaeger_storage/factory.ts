// The `jaeger_storage` extension factory (Jaeger v2's name): holds the named trace stores that the
// jaeger_storage_exporter writes into and jaeger_query reads.
import type { Component, CreateSettings, ExtensionFactory } from '../../../contracts/component.ts';
import { MemoryStore } from '../../../backend/store/memory-store.ts';
import type { TraceStorageExtension } from '../../../backend/store/storage-extension.ts';
import type { TraceStore } from '../../../backend/store/trace-store.ts';
import {
  JaegerStorageConfigSchema,
  resolveBackends,
  validateJaegerStorageConfig,
  type JaegerStorageConfig,
} from './config.ts';

class JaegerStorage implements TraceStorageExtension, Component {
  private readonly stores: Map<string, TraceStore>;
  readonly backendNames: readonly string[];

  constructor(settings: CreateSettings, config: JaegerStorageConfig) {
    const { backends } = resolveBackends(config);
    this.stores = new Map(
      backends.map((b) => [b.name, new MemoryStore({ maxTraces: b.maxTraces, maxBytes: b.maxBytes })]),
    );
    this.backendNames = [...this.stores.keys()];
    const t = settings.telemetry;
    for (const [name, store] of this.stores) {
      const labels = { backend: name };
      const stat = (k: 'traces' | 'spans' | 'bytes' | 'evictedTraces') => () => store.stats()[k];
      t.observe('telegate_trace_store_traces', 'Traces held by the trace store.', labels, stat('traces'));
      t.observe('telegate_trace_store_spans', 'Spans held by the trace store.', labels, stat('spans'));
      t.observe(
        'telegate_trace_store_bytes',
        'Bytes the store accounts for (bounded by max_bytes).',
        labels,
        stat('bytes'),
      );
      t.observe(
        'telegate_trace_store_evicted_traces',
        'Traces evicted so far to stay within the bounds.',
        labels,
        stat('evictedTraces'),
      );
    }
  }

  traceStore(name: string): TraceStore | undefined {
    return this.stores.get(name);
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** `extensions: jaeger_storage:` */
export const jaegerStorageFactory: ExtensionFactory<JaegerStorageConfig> = {
  kind: 'extension',
  type: 'jaeger_storage',
  stability: { extension: 'alpha' },
  description: 'Jaeger v2 trace storage: named in-memory trace stores bounded by trace count and bytes.',
  configSchema: JaegerStorageConfigSchema,
  validate: validateJaegerStorageConfig,
  create: (settings, config) => new JaegerStorage(settings, config),
};
