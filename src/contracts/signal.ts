// The three OTLP signals a pipeline can carry, and the component kinds of a collector config.

/** An OTLP signal; also the type part of a pipeline id (`traces/edge`). */
export type Signal = 'traces' | 'metrics' | 'logs';

/** All signals, in the order the Go collector lists them. */
export const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

/** The sections of a collector config that hold components. */
export type Kind = 'receiver' | 'processor' | 'exporter' | 'extension';

/** Stability levels as the Go collector's `component.StabilityLevel` names them. */
export type Stability = 'development' | 'alpha' | 'beta' | 'stable' | 'deprecated' | 'unmaintained';

/** A component id as written in a config: `type` or `type/name`. */
export interface ComponentId {
  readonly type: string;
  readonly name: string;
  /** `type` or `type/name`, exactly as in the config. */
  readonly id: string;
}
