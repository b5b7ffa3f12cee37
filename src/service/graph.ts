// Builds the component graph of a config (DESIGN.md §1): one extension per id, one exporter per
// (id, signal), a processor chain per pipeline ending in a fan-out to its exporters, one receiver
// per id feeding every pipeline that lists it. Creation only: starting is service.ts's job.
import type {
  Component,
  ComponentInstance,
  CreateSettings,
  Logger,
  ReceiverConsumers,
  RuntimeStatus,
  Telemetry,
} from '../contracts/component.ts';
import type { Consumer } from '../contracts/consumer.ts';
import type { Room } from '../contracts/room.ts';
import type { Kind, Signal } from '../contracts/signal.ts';
import type { ComponentSpec, GraphSpec, PipelineSpec } from './graph-spec.ts';
import { fanout } from './fanout.ts';
import { pipelineRoom } from '../util/room-signal.ts';

/** A created component with what the lifecycle needs to name it in logs and errors. */
export interface Node {
  readonly kind: Kind;
  readonly id: string;
  /** The pipeline (processors) or signal (exporters) it belongs to, for messages. */
  readonly scope?: string;
  /** The pipelines it serves, for status reports (empty for extensions). */
  readonly pipelines: readonly string[];
  readonly component: Component;
}

/** All created components, in the order they must start. */
export interface Graph {
  readonly extensions: readonly Node[];
  readonly exporters: readonly Node[];
  readonly processors: readonly Node[];
  readonly receivers: readonly Node[];
}

interface Env {
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  /** Where components' own status reports go (the service forwards them to watchers). */
  readonly reportStatus?: (instance: ComponentInstance, status: RuntimeStatus, error?: Error) => void;
}

function settings(env: Env, spec: ComponentSpec, instance: ComponentInstance, scope?: string): CreateSettings {
  const kind = instance.kind;
  const fields: Record<string, unknown> = { kind, name: spec.id.id };
  if (scope !== undefined) fields[kind === 'processor' ? 'pipeline' : 'data_type'] = scope;
  const base = { id: spec.id, kind, logger: env.logger.child(fields), telemetry: env.telemetry };
  const report = env.reportStatus;
  if (report === undefined) return base;
  return {
    ...base,
    reportStatus: (status, error) => {
      report(instance, status, error);
    },
  };
}

/** The ids of the pipelines that list `id` in `section`. */
function pipelinesListing(spec: GraphSpec, section: 'receivers' | 'exporters', id: string, signal?: Signal): string[] {
  return [...spec.pipelines.values()]
    .filter((p) => p[section].includes(id) && (signal === undefined || p.signal === signal))
    .map((p) => p.id);
}

function must(map: ReadonlyMap<string, ComponentSpec>, id: string, section: string): ComponentSpec {
  const spec = map.get(id);
  if (!spec) throw new Error(`internal: ${section} ${id} missing from the resolved config`);
  return spec;
}

/** Creates every component of `spec`; throws only on programmer errors (the config is validated). */
export function buildGraph(spec: GraphSpec, env: Env): Graph {
  const extensions = spec.serviceExtensions.map((id) => createExtension(env, must(spec.extensions, id, 'extension')));
  const exporters = new Map<string, Node & { component: Component & Consumer }>();
  const processors: Node[] = [];
  const firstConsumers = new Map<string, Consumer>();

  for (const pipeline of spec.pipelines.values()) {
    const exporterConsumers = pipeline.exporters.map((id) => {
      const key = `${id}\u0000${pipeline.signal}`;
      let node = exporters.get(key);
      if (!node) {
        const pipelines = pipelinesListing(spec, 'exporters', id, pipeline.signal);
        node = createExporter(env, must(spec.exporters, id, 'exporter'), pipeline.signal, pipelines);
        exporters.set(key, node);
      }
      return node.component;
    });
    firstConsumers.set(pipeline.id, chainProcessors(env, spec, pipeline, fanout(exporterConsumers), processors));
  }

  const receivers = [...receiverInputs(spec, firstConsumers)].map(([id, consumers]) =>
    createReceiver(env, must(spec.receivers, id, 'receiver'), consumers, pipelinesListing(spec, 'receivers', id)),
  );
  return { extensions, exporters: [...exporters.values()], processors, receivers };
}

/**
 * Creates the pipeline's processors back to front and returns its first consumer, which carries the room of
 * the whole pipeline: every step that can fill up (DESIGN.md §4b), so processors need not pass it along.
 */
function chainProcessors(env: Env, spec: GraphSpec, pipeline: PipelineSpec, last: Consumer, out: Node[]): Consumer {
  let next = last;
  const rooms: (Room | undefined)[] = [last.room];
  for (let i = pipeline.processors.length - 1; i >= 0; i--) {
    const id = pipeline.processors[i] as string;
    const s = must(spec.processors, id, 'processor');
    if (s.factory.kind !== 'processor') throw new Error(`internal: ${id} is not a processor`);
    const instance: ComponentInstance = { kind: 'processor', id, pipelines: [pipeline.id] };
    const component = s.factory.create(settings(env, s, instance, pipeline.id), s.config, pipeline.signal, next);
    out.push({ ...instance, scope: pipeline.id, component });
    rooms.push(component.room);
    next = component;
  }
  return withRoom(next, pipelineRoom(rooms.reverse()));
}

/** `consumer` as is when `room` is already its own, else a thin wrapper that carries `room`. */
function withRoom(consumer: Consumer, room: Room | undefined): Consumer {
  if (room === consumer.room) return consumer;
  return { consume: (payload) => consumer.consume(payload), room };
}

/** For each receiver id, the consumer of each signal: a fan-out over the pipelines that list it. */
function receiverInputs(
  spec: GraphSpec,
  firstConsumers: ReadonlyMap<string, Consumer>,
): Map<string, ReceiverConsumers> {
  const lists = new Map<string, Map<Signal, Consumer[]>>();
  for (const pipeline of spec.pipelines.values()) {
    const first = firstConsumers.get(pipeline.id);
    if (!first) continue;
    for (const id of pipeline.receivers) {
      let bySignal = lists.get(id);
      if (!bySignal) {
        bySignal = new Map<Signal, Consumer[]>();
        lists.set(id, bySignal);
      }
      const list = bySignal.get(pipeline.signal) ?? [];
      list.push(first);
      bySignal.set(pipeline.signal, list);
    }
  }
  const out = new Map<string, ReceiverConsumers>();
  for (const [id, bySignal] of lists) {
    const consumers: ReceiverConsumers = {};
    for (const [signal, list] of bySignal) consumers[signal] = fanout(list);
    out.set(id, consumers);
  }
  return out;
}

function createExtension(env: Env, s: ComponentSpec): Node {
  if (s.factory.kind !== 'extension') throw new Error(`internal: ${s.id.id} is not an extension`);
  const instance: ComponentInstance = { kind: 'extension', id: s.id.id, pipelines: [] };
  return { ...instance, component: s.factory.create(settings(env, s, instance), s.config) };
}

function createExporter(
  env: Env,
  s: ComponentSpec,
  signal: Signal,
  pipelines: readonly string[],
): Node & { component: Component & Consumer } {
  if (s.factory.kind !== 'exporter') throw new Error(`internal: ${s.id.id} is not an exporter`);
  const instance: ComponentInstance = { kind: 'exporter', id: s.id.id, pipelines };
  const component = s.factory.create(settings(env, s, instance, signal), s.config, signal);
  return { ...instance, scope: signal, component };
}

function createReceiver(env: Env, s: ComponentSpec, consumers: ReceiverConsumers, pipelines: readonly string[]): Node {
  if (s.factory.kind !== 'receiver') throw new Error(`internal: ${s.id.id} is not a receiver`);
  const instance: ComponentInstance = { kind: 'receiver', id: s.id.id, pipelines };
  return { ...instance, component: s.factory.create(settings(env, s, instance), s.config, consumers) };
}
