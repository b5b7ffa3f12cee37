// The official OpenTelemetry JS SDK exporters (gRPC, HTTP/protobuf, HTTP/JSON) sending traces, metrics
// and logs into the otlp receiver: every payload must decode to exactly what the SDK serialized, and
// the SDK must see back-pressure (UNAVAILABLE + RetryInfo, 503 + Retry-After) and retry through it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Metadata } from '@grpc/grpc-js';
import { ExportResultCode } from '@opentelemetry/core';
import { fromPlain } from '../../src/config/node.ts';
import { validateConfig } from '../../src/config/validate.ts';
import type { Component } from '../../src/contracts/component.ts';
import type { Consumer, ConsumeResult } from '../../src/contracts/consumer.ts';
import type { Payload } from '../../src/contracts/payload.ts';
import { SIGNALS, type Signal } from '../../src/contracts/signal.ts';
import { otlpReceiverFactory } from '../../src/components/receivers/otlp/factory.ts';
import { decodeRetryAfterMs } from '../../src/transport/grpc-status-details.ts';
import { MemoryTelemetry, RecordingLogger, testHost, testSettings } from '../helpers/fakes.ts';
import { decodeRequest } from '../helpers/otlp-proto.ts';
import { PROTOCOLS, sdkBatch, sdkExporter, sdkSend, type Protocol } from '../helpers/sdk.ts';

/** Records payloads; answers each with the next scripted result, then success. */
class ScriptedConsumer implements Consumer {
  readonly payloads: Payload[] = [];
  readonly script: ConsumeResult[] = [];
  attempts = 0;
  consume(payload: Payload): Promise<ConsumeResult> {
    this.attempts++;
    const next = this.script.shift();
    if (next !== undefined) return Promise.resolve(next);
    this.payloads.push(payload);
    return Promise.resolve({ status: 'success' });
  }
}

const consumers: Record<Signal, ScriptedConsumer> = {
  traces: new ScriptedConsumer(),
  metrics: new ScriptedConsumer(),
  logs: new ScriptedConsumer(),
};
const telemetry = new MemoryTelemetry();
let receiver: Component;
const urls = { grpc: '', http: '' };

before(async () => {
  const logger = new RecordingLogger();
  const cfg = validateConfig(
    otlpReceiverFactory.configSchema,
    fromPlain({ protocols: { grpc: { endpoint: '127.0.0.1:0' }, http: { endpoint: '127.0.0.1:0' } } }, undefined),
    'receivers.otlp',
    undefined,
  ).value;
  receiver = otlpReceiverFactory.create(testSettings('receiver', 'otlp', telemetry, logger), cfg as never, consumers);
  await receiver.start(testHost());
  const ep = (msg: string): string => String(logger.lines.find((l) => l.msg === msg)?.fields['endpoint']);
  urls.grpc = `http://${ep('Starting GRPC server')}`;
  urls.http = `http://${ep('Starting HTTP server')}`;
});
after(() => receiver.shutdown());

/** Exports the SDK's batch and checks the payload decodes to what the SDK's own protobuf serializer writes. */
async function roundTrip(signal: Signal, protocol: Protocol, gzip = false): Promise<void> {
  const consumer = consumers[signal];
  const before = consumer.payloads.length;
  const batch = await sdkBatch(signal);
  const exporter = sdkExporter(signal, protocol, urls, { gzip });
  try {
    const result = await sdkSend(exporter, batch.items);
    assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
    assert.equal(consumer.payloads.length, before + 1);
    const payload = consumer.payloads.at(-1);
    assert.ok(payload);
    assert.deepEqual(decodeRequest(signal, payload.bytes), decodeRequest(signal, Buffer.from(batch.expected)));
    assert.equal(payload.items, batch.count);
  } finally {
    await exporter.shutdown();
  }
}

for (const signal of SIGNALS) {
  for (const protocol of PROTOCOLS) {
    test(`${signal} over ${protocol} arrive exactly as sent`, () => roundTrip(signal, protocol));
  }
}

test('gRPC exporter with gzip compression', () => roundTrip('traces', 'grpc', true));
test('HTTP exporter with gzip compression', () => roundTrip('logs', 'http/protobuf', true));

const busy = (): ConsumeResult => ({
  status: 'retryable',
  error: new Error('sending queue is full'),
  retryAfterMs: 200,
});

test('back-pressure over gRPC: the SDK sees UNAVAILABLE with RetryInfo, then succeeds on the next export', async () => {
  consumers.traces.script.push(busy());
  const refused = telemetry.get('otelcol_receiver_refused_spans', { receiver: 'otlp', transport: 'grpc' });
  const exporter = sdkExporter('traces', 'grpc', urls);
  try {
    // The JS gRPC exporter reports the failure instead of retrying itself; the status is what matters.
    const result = await sdkSend(exporter, (await sdkBatch('traces')).items);
    assert.equal(result.code, ExportResultCode.FAILED);
    const err = result.error as (Error & { code?: number; details?: string; metadata?: Metadata }) | undefined;
    assert.ok(err);
    assert.equal(err.code, 14);
    assert.equal(err.details, 'sending queue is full');
    const bin = err.metadata?.get('grpc-status-details-bin')[0];
    assert.ok(Buffer.isBuffer(bin));
    assert.equal(decodeRetryAfterMs(bin), 200);
    assert.equal(telemetry.get('otelcol_receiver_refused_spans', { receiver: 'otlp', transport: 'grpc' }), refused + 2);
  } finally {
    await exporter.shutdown();
  }
  await roundTrip('traces', 'grpc');
});

test('back-pressure over HTTP: the SDK gets 503 + Retry-After, retries, and succeeds', async () => {
  const consumer = consumers.metrics;
  consumer.script.push(busy());
  const attempts = consumer.attempts;
  await roundTrip('metrics', 'http/protobuf');
  assert.equal(consumer.attempts, attempts + 2, 'one refusal, one accepted retry');
});

test('a permanent refusal is reported to the SDK as a failed export, without retry', async () => {
  const consumer = consumers.logs;
  consumer.script.push({ status: 'failure', error: new Error('rejected for good') });
  const attempts = consumer.attempts;
  const exporter = sdkExporter('logs', 'http/json', urls);
  try {
    const result = await sdkSend(exporter, (await sdkBatch('logs')).items);
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.equal(consumer.attempts, attempts + 1);
  } finally {
    await exporter.shutdown();
  }
});
