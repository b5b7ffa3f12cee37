// What the service needs from a resolved config to build its component graph.
import type { ComponentId, Signal } from '../contracts/signal.ts';
import type { Factory } from '../contracts/component.ts';

/** One configured component: its id, factory and validated config. */
export interface ComponentSpec {
  readonly id: ComponentId;
  readonly factory: Factory;
  readonly config: unknown;
}

/** One pipeline of `service.pipelines`. */
export interface PipelineSpec {
  readonly id: string;
  readonly signal: Signal;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

/** The graph to build: components by id per section, the enabled extensions, the pipelines. */
export interface GraphSpec {
  readonly receivers: ReadonlyMap<string, ComponentSpec>;
  readonly processors: ReadonlyMap<string, ComponentSpec>;
  readonly exporters: ReadonlyMap<string, ComponentSpec>;
  readonly extensions: ReadonlyMap<string, ComponentSpec>;
  readonly serviceExtensions: readonly string[];
  readonly pipelines: ReadonlyMap<string, PipelineSpec>;
}
