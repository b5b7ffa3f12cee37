import { test } from 'node:test';
import assert from 'node:assert/strict';
import Type from 'typebox';
import type {
  Component,
  CreateSettings,
  StatusEvent,
  ExporterFactory,
  ExtensionFactory,
  ProcessorFactory,
  ReceiverFactory,
  ReceiverConsumers,
} from '../contracts/component.ts';
import type { Consumer, ConsumeResult } from '../contracts/consumer.ts';
import type { Payload } from '../contracts/payload.ts';
import type { Signal } from '../contracts/signal.ts';
import type { ComponentSpec, GraphSpec, PipelineSpec } from './graph-spec.ts';
import { Service } from './service.ts';
import { MemoryTelemetry, RecordingLogger } from '../../test/helpers/fakes.ts';

// Fake components that record lifecycle events into one shared journal.
const journal: string[] = [];
const receivers = new Map<string, ReceiverConsumers>();

class Recorder implements Component {
  readonly name: string;
  starts = 0;
  constructor(name: string) {
    this.name = name;
  }
  start(): Promise<void> {
    this.starts++;
    journal.push(`start ${this.name}`);
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    journal.push(`stop ${this.name}`);
    return Promise.resolve();
  }
}

const schema = Type.Object({});
const receiverFactory: ReceiverFactory = {
  kind: 'receiver',
  type: 'r',
  description: '',
  configSchema: schema,
  stability: { traces: 'stable', logs: 'stable' },
  create(s, _c, next) {
    receivers.set(s.id.id, next);
    return new Recorder(`receiver ${s.id.id}`);
  },
};
const processorFactory: ProcessorFactory = {
  kind: 'processor',
  type: 'p',
  description: '',
  configSchema: schema,
  stability: { traces: 'stable', logs: 'stable' },
  create(s, _c, signal, next) {
    const r = new Recorder(`processor ${s.id.id}@${signal}`);
    return Object.assign(r, {
      consume(p: Payload): Promise<ConsumeResult> {
        return next.consume({ ...p, bytes: Buffer.concat([p.bytes, Buffer.from(`>${s.id.id}`)]) });
      },
    });
  },
};
const sent: string[] = [];
let exporterResult: ConsumeResult = { status: 'success' };
const exporterFactory: ExporterFactory = {
  kind: 'exporter',
  type: 'e',
  description: '',
  configSchema: schema,
  stability: { traces: 'stable', logs: 'stable' },
  create(s, _c, signal) {
    const r = new Recorder(`exporter ${s.id.id}@${signal}`);
    return Object.assign(r, {
      consume(p: Payload): Promise<ConsumeResult> {
        sent.push(`${s.id.id}@${signal}: ${p.bytes.toString()}`);
        return Promise.resolve(s.id.id === 'e/refuse' ? exporterResult : { status: 'success' as const });
      },
    });
  },
};
const extensionFactory: ExtensionFactory = {
  kind: 'extension',
  type: 'x',
  description: '',
  configSchema: schema,
  stability: { extension: 'stable' },
  create(s) {
    return new Recorder(`extension ${s.id.id}`);
  },
};

function spec(factory: ComponentSpec['factory'], ...ids: string[]): Map<string, ComponentSpec> {
  return new Map(
    ids.map((id) => {
      const [type = '', name = ''] = id.split('/');
      return [id, { id: { type, name, id }, factory, config: {} }];
    }),
  );
}

function pipeline(id: string, receivers: string[], processors: string[], exporters: string[]): [string, PipelineSpec] {
  return [id, { id, signal: id.split('/')[0] as Signal, receivers, processors, exporters }];
}

function graph(): GraphSpec {
  return {
    receivers: spec(receiverFactory, 'r', 'r/b'),
    processors: spec(processorFactory, 'p/1', 'p/2'),
    exporters: spec(exporterFactory, 'e', 'e/refuse'),
    extensions: spec(extensionFactory, 'x', 'x/unused'),
    serviceExtensions: ['x'],
    pipelines: new Map([
      pipeline('traces', ['r'], ['p/1', 'p/2'], ['e', 'e/refuse']),
      pipeline('traces/second', ['r', 'r/b'], [], ['e']),
      pipeline('logs', ['r'], ['p/1'], ['e']),
    ]),
  };
}

function payload(signal: Signal, text: string): Payload {
  return { signal, bytes: Buffer.from(text), items: 1, context: {} };
}

test('builds one receiver per id, chains processors in order and fans out to exporters', async () => {
  journal.length = 0;
  sent.length = 0;
  const service = new Service(graph(), { logger: new RecordingLogger(), telemetry: new MemoryTelemetry() });
  await service.start();
  const r = receivers.get('r');
  assert.deepEqual(Object.keys(r ?? {}).sort(), ['logs', 'traces']);
  assert.deepEqual(Object.keys(receivers.get('r/b') ?? {}), ['traces']);

  const result = await (r?.traces as Consumer).consume(payload('traces', 'span'));
  assert.equal(result.status, 'success');
  assert.deepEqual(sent.sort(), ['e/refuse@traces: span>p/1>p/2', 'e@traces: span', 'e@traces: span>p/1>p/2']);

  sent.length = 0;
  await (r?.logs as Consumer).consume(payload('logs', 'log'));
  assert.deepEqual(sent, ['e@logs: log>p/1']);
  await service.shutdown();
});

test('starts extensions, exporters, processors, receivers in that order and stops in reverse', async () => {
  journal.length = 0;
  const service = new Service(graph(), { logger: new RecordingLogger(), telemetry: new MemoryTelemetry() });
  await service.start();
  const starts = journal.filter((l) => l.startsWith('start')).map((l) => l.split(' ')[1]);
  const kinds = [...new Set(starts)];
  assert.deepEqual(kinds, ['extension', 'exporter', 'processor', 'receiver']);
  assert.ok(!journal.includes('start extension x/unused'), 'an extension not in service.extensions is not started');
  // Within a pipeline the last processor starts first, so each starts after what it feeds.
  assert.ok(journal.indexOf('start processor p/2@traces') < journal.indexOf('start processor p/1@traces'));
  const startOrder = [...journal];
  journal.length = 0;
  await service.shutdown();
  await service.shutdown();
  assert.deepEqual(
    journal,
    startOrder.reverse().map((l) => l.replace('start', 'stop')),
    'stopped once, in reverse order',
  );
});

test('a retryable outcome from any exporter reaches the receiver; a permanent one wins over it', async () => {
  receivers.clear();
  const service = new Service(graph(), { logger: new RecordingLogger(), telemetry: new MemoryTelemetry() });
  await service.start();
  const traces = receivers.get('r')?.traces as Consumer;
  exporterResult = { status: 'retryable', error: new Error('busy'), retryAfterMs: 1000 };
  const retry = await traces.consume(payload('traces', 'x'));
  assert.equal(retry.status, 'retryable');
  exporterResult = { status: 'failure', error: new Error('bad') };
  assert.equal((await traces.consume(payload('traces', 'x'))).status, 'failure');
  exporterResult = { status: 'success' };
  await service.shutdown();
});

test('a component that fails to start stops what had started and names itself', async () => {
  journal.length = 0;
  const failing: ReceiverFactory = {
    ...receiverFactory,
    create: () => ({
      start: () => Promise.reject(new Error('address already in use')),
      shutdown: () => Promise.resolve(),
    }),
  };
  const g = { ...graph(), receivers: spec(failing, 'r', 'r/b') };
  const service = new Service(g, { logger: new RecordingLogger(), telemetry: new MemoryTelemetry() });
  await assert.rejects(service.start(), (err: Error) => {
    assert.match(err.message, /receivers\.r failed to start: address already in use/);
    return true;
  });
  assert.ok(journal.includes('stop extension x'), 'started components were shut down');
});

test('shutdown gives up on a component that hangs, after the deadline', async () => {
  const hanging: ExtensionFactory = {
    ...extensionFactory,
    create: () => ({ start: () => Promise.resolve(), shutdown: () => new Promise<void>(() => undefined) }),
  };
  const logger = new RecordingLogger();
  const g = { ...graph(), extensions: spec(hanging, 'x') };
  const service = new Service(g, { logger, telemetry: new MemoryTelemetry(), shutdownTimeoutMs: 50 });
  await service.start();
  const keepAlive = setInterval(() => undefined, 1000); // the deadline timer is unref'd by design
  await service.shutdown();
  clearInterval(keepAlive);
  assert.match(logger.text(), /extensions\.x did not finish shutting down before the deadline/);
});

test('a lifecycle watcher hears every state change, ready after the last start, stopping before the first stop', async () => {
  const heard: string[] = [];
  const watcher: ExtensionFactory = {
    ...extensionFactory,
    create: (s) =>
      Object.assign(new Recorder(`extension ${s.id.id}`), {
        pipelinesReady: () => heard.push('READY'),
        pipelinesStopping: () => heard.push('STOPPING'),
        componentStatusChanged: (e: StatusEvent) => {
          heard.push(`${e.instance.kind}:${e.instance.id}[${e.instance.pipelines.join(',')}] ${e.status}`);
          if (e.instance.kind === 'receiver') throw new Error('a broken watcher never stops the collector');
        },
      }),
  };
  const logger = new RecordingLogger();
  const service = new Service(
    { ...graph(), extensions: spec(watcher, 'x') },
    { logger, telemetry: new MemoryTelemetry() },
  );
  await service.start();
  assert.equal(heard.at(-1), 'READY');
  assert.ok(heard.includes('receiver:r[traces,traces/second,logs] ok'));
  assert.ok(heard.includes('exporter:e[traces,traces/second] ok'), 'an exporter serves each pipeline of its signal');
  assert.ok(heard.includes('processor:p/1[logs] starting'));
  assert.ok(heard.indexOf('extension:x[] ok') < heard.indexOf('exporter:e[logs] starting'));
  heard.length = 0;
  await service.shutdown();
  assert.equal(heard[0], 'STOPPING');
  assert.equal(heard[1], 'receiver:r/b[traces/second] stopping');
  assert.equal(heard.at(-1), 'extension:x[] stopped');
  assert.match(logger.text(), /A lifecycle watcher failed/);
});

test('a component that fails to start is reported as a permanent error', async () => {
  const events: StatusEvent[] = [];
  const watcher: ExtensionFactory = {
    ...extensionFactory,
    create: () => ({
      start: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
      pipelinesReady: () => undefined,
      pipelinesStopping: () => undefined,
      componentStatusChanged: (e: StatusEvent) => events.push(e),
    }),
  };
  const failing: ReceiverFactory = {
    ...receiverFactory,
    create: () => ({ start: () => Promise.reject(new Error('port in use')), shutdown: () => Promise.resolve() }),
  };
  const g = { ...graph(), receivers: spec(failing, 'r', 'r/b'), extensions: spec(watcher, 'x') };
  const service = new Service(g, { logger: new RecordingLogger(), telemetry: new MemoryTelemetry() });
  await assert.rejects(service.start());
  const failed = events.find((e) => e.status === 'permanent_error');
  assert.equal(failed?.instance.kind, 'receiver');
  assert.equal(failed.error?.message, 'port in use');
});

test('a component reports its own state through its settings', async () => {
  const events: StatusEvent[] = [];
  let report: CreateSettings['reportStatus'];
  const reporting: ExporterFactory = {
    ...exporterFactory,
    create: (s, c, signal) => {
      report = s.reportStatus;
      return exporterFactory.create(s, c, signal);
    },
  };
  const watcher: ExtensionFactory = {
    ...extensionFactory,
    create: () => ({
      start: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
      pipelinesReady: () => undefined,
      pipelinesStopping: () => undefined,
      componentStatusChanged: (e: StatusEvent) => events.push(e),
    }),
  };
  const g = { ...graph(), exporters: spec(reporting, 'e', 'e/refuse'), extensions: spec(watcher, 'x') };
  const service = new Service(g, { logger: new RecordingLogger(), telemetry: new MemoryTelemetry() });
  await service.start();
  report?.('recoverable_error', new Error('peer down'));
  const last = events.at(-1);
  assert.equal(last?.status, 'recoverable_error');
  assert.equal(last.error?.message, 'peer down');
  await service.shutdown();
});
