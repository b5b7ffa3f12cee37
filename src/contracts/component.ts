// What every component is, what it can ask of the running service, and how factories declare it.
import type { TSchema } from 'typebox';
import type { Consumer } from './consumer.ts';
import type { ComponentId, Kind, Signal, Stability } from './signal.ts';

/** A started-and-stopped unit. `shutdown` is idempotent and safe before `start` (STYLE.md rule 9). */
export interface Component {
  start(host: Host): Promise<void>;
  shutdown(): Promise<void>;
}

/** Structured logger; fields never carry secrets. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  isDebugEnabled(): boolean;
  child(fields: Record<string, unknown>): Logger;
}

/** A monotonic counter with fixed labels, bound once at creation (no label lookups on the hot path). */
export interface Counter {
  add(n: number): void;
}
/** A value that can go up and down. */
export interface Gauge {
  set(v: number): void;
}
/** A distribution of observed values. */
export interface Histogram {
  record(v: number): void;
}

/** Self-telemetry registry; names and labels follow the Go collector's (`otelcol_*`). */
export interface Telemetry {
  counter(name: string, help: string, labels: Readonly<Record<string, string>>): Counter;
  gauge(name: string, help: string, labels: Readonly<Record<string, string>>): Gauge;
  /** A gauge read at scrape time. */
  observe(name: string, help: string, labels: Readonly<Record<string, string>>, read: () => number): void;
  histogram(
    name: string,
    help: string,
    labels: Readonly<Record<string, string>>,
    buckets: readonly number[],
  ): Histogram;
}

/** What a component may ask of the service while running. */
export interface Host {
  /** An extension by id (`basicauth/server`), or undefined. */
  getExtension(id: string): Component | undefined;
}

/** Given to every `create`. */
export interface CreateSettings {
  readonly id: ComponentId;
  readonly kind: Kind;
  readonly logger: Logger;
  readonly telemetry: Telemetry;
}

/** Given to receivers: one downstream consumer per signal the receiver feeds. */
export type ReceiverConsumers = Partial<Record<Signal, Consumer>>;

/** A receiver: created once per id, shared by every pipeline that lists it. */
export interface ReceiverFactory<C = unknown> extends FactoryBase {
  readonly kind: 'receiver';
  create(settings: CreateSettings, config: C, next: ReceiverConsumers): Component;
}

/** A processor: one instance per (id, pipeline). */
export interface ProcessorFactory<C = unknown> extends FactoryBase {
  readonly kind: 'processor';
  create(settings: CreateSettings, config: C, signal: Signal, next: Consumer): Component & Consumer;
}

/** An exporter: one instance per (id, signal), shared by the pipelines of that signal. */
export interface ExporterFactory<C = unknown> extends FactoryBase {
  readonly kind: 'exporter';
  create(settings: CreateSettings, config: C, signal: Signal): Component & Consumer;
}

/** An extension: one instance per id, started before everything else. */
export interface ExtensionFactory<C = unknown> extends FactoryBase {
  readonly kind: 'extension';
  /**
   * Which authenticator roles instances can play (contracts/auth.ts), so that config validation can
   * check an `auth.authenticator` reference without starting anything. Absent: not an authenticator.
   * The role may depend on the config (basicauth is a server with `htpasswd`, a client with `client_auth`).
   */
  authenticatorRoles?(config: unknown): readonly ('server' | 'client')[];
  create(settings: CreateSettings, config: C): Component;
}

/** An `auth.authenticator` reference in a component's config, for config validation. */
export interface AuthenticatorRef {
  /** YAML path below the component's config, e.g. `protocols.grpc.auth.authenticator`. */
  readonly path: string;
  /** The extension id it names. */
  readonly id: string;
}

/** A server address a component will bind, reported for the "two servers on one address" check. */
export interface Endpoint {
  /** YAML path below the component's config, e.g. `protocols.grpc.endpoint`. */
  readonly path: string;
  readonly endpoint: string;
}

interface FactoryBase {
  readonly type: string;
  /** Stability per supported signal; extensions use `extension`. */
  readonly stability: Partial<Record<Signal | 'extension', Stability>>;
  /** One-line description for `telegate components` and docs. */
  readonly description: string;
  /** TypeBox schema: defaults, validation, docs. Every property carries a `description`. */
  readonly configSchema: TSchema;
  /** Cross-field rules after schema validation; returns problems as [relative path, message]. */
  validate?(config: unknown): readonly (readonly [path: string, message: string])[];
  /** Server endpoints this config would bind, for the address-conflict check. */
  endpoints?(config: unknown): readonly Endpoint[];
  /**
   * The authenticator extensions this config names; a receiver's need the `server` role, an
   * exporter's the `client` role (checked against ExtensionFactory.authenticatorRoles).
   */
  authenticators?(config: unknown): readonly AuthenticatorRef[];
  /**
   * Facts `telegate validate` prints about a valid config (not problems), e.g. the RBAC rules a
   * k8sattributes config needs.
   */
  notes?(config: unknown): readonly string[];
  /** Set for deprecated aliases (`logging` → `debug`): warning shown when used. */
  readonly deprecation?: string;
}

/** Any factory. */
export type Factory = ReceiverFactory | ProcessorFactory | ExporterFactory | ExtensionFactory;
