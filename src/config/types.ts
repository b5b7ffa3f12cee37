// What config resolution produces: every component with its factory and typed config, and the
// service section's extensions, pipelines and telemetry. Consumed by the service and the CLI.
import type {
  ExporterFactory,
  ExtensionFactory,
  Factory,
  ProcessorFactory,
  ReceiverFactory,
} from '../contracts/component.ts';
import type { ComponentId, Kind, Signal } from '../contracts/signal.ts';

/** The factories a build knows, per kind, keyed by type. */
export interface Registry {
  readonly receiver: ReadonlyMap<string, ReceiverFactory>;
  readonly processor: ReadonlyMap<string, ProcessorFactory>;
  readonly exporter: ReadonlyMap<string, ExporterFactory>;
  readonly extension: ReadonlyMap<string, ExtensionFactory>;
}

/** A configured component: its id, factory and validated config (the schema's static type). */
export interface ResolvedComponent<F extends Factory = Factory> {
  readonly id: ComponentId;
  readonly factory: F;
  readonly config: unknown;
}

/** One `service.pipelines` entry, with component ids as written (`otlp/basicauth`). */
export interface ResolvedPipeline {
  readonly id: string;
  readonly signal: Signal;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

/** `service.telemetry`, reduced to what telegate acts on. */
export interface TelemetrySettings {
  readonly logs: { readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly encoding: 'console' | 'json' };
  readonly metrics: {
    readonly level: 'none' | 'basic' | 'normal' | 'detailed';
    /** host:port of the Prometheus metrics server; undefined when level is none. */
    readonly address: string | undefined;
  };
  readonly resource: Readonly<Record<string, unknown>>;
}

/** A whole validated config. */
export interface ResolvedConfig {
  readonly receivers: ReadonlyMap<string, ResolvedComponent<ReceiverFactory>>;
  readonly processors: ReadonlyMap<string, ResolvedComponent<ProcessorFactory>>;
  readonly exporters: ReadonlyMap<string, ResolvedComponent<ExporterFactory>>;
  readonly extensions: ReadonlyMap<string, ResolvedComponent<ExtensionFactory>>;
  readonly service: {
    readonly extensions: readonly string[];
    readonly pipelines: ReadonlyMap<string, ResolvedPipeline>;
    readonly telemetry: TelemetrySettings;
  };
}

/** Config section of each kind. */
export const SECTION_OF = {
  receiver: 'receivers',
  processor: 'processors',
  exporter: 'exporters',
  extension: 'extensions',
} as const satisfies Record<Kind, string>;

/** The kinds in config order. */
export const KINDS: readonly Kind[] = ['receiver', 'processor', 'exporter', 'extension'];

/** Builds a Registry from a list of factories. */
export function registryOf(factories: readonly Factory[]): Registry {
  const receiver = new Map<string, ReceiverFactory>();
  const processor = new Map<string, ProcessorFactory>();
  const exporter = new Map<string, ExporterFactory>();
  const extension = new Map<string, ExtensionFactory>();
  for (const f of factories) {
    if (f.kind === 'receiver') receiver.set(f.type, f);
    else if (f.kind === 'processor') processor.set(f.type, f);
    else if (f.kind === 'exporter') exporter.set(f.type, f);
    else extension.set(f.type, f);
  }
  return { receiver, processor, exporter, extension };
}
