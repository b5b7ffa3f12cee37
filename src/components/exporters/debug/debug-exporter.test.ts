// The debug exporter's three verbosities against the Go debug exporter's own expected outputs
// (testdata/*.out are copied from exporter/debugexporter/internal/otlptext/testdata), the basic
// counts line, sampling, and the exporter writing through the service logger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Payload } from '../../../contracts/payload.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { testHost, testSettings } from '../../../../test/helpers/fakes.ts';
import { encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import { defaultDebugExporterConfig } from './config.ts';
import { createDebugExporter, formatPayload } from './debug-exporter.ts';
import { basicFields } from './counts.ts';
import { Sampler } from './sampler.ts';
import { goFloatV, goTime } from './text-values.ts';

const golden = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
const T12 = '1581452772000000321'; // 2020-02-11 20:26:12.000000321 UTC
const T13 = '1581452773000000789';
const T13E = '1581452773000000123';
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const RESOURCE = { attributes: [str('resource-attr', 'resource-attr-val-1')] };

function twoSpans(): Buffer {
  return encodeRequest('traces', {
    resourceSpans: [
      {
        resource: RESOURCE,
        scopeSpans: [
          {
            scope: {},
            spans: [
              {
                traceId: Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex'),
                spanId: Buffer.from('1112131415161718', 'hex'),
                name: 'operationA',
                traceState: 'ot=th:0',
                startTimeUnixNano: T12,
                endTimeUnixNano: T13,
                droppedAttributesCount: 1,
                droppedEventsCount: 1,
                status: { code: 2, message: 'status-cancelled' },
                events: [
                  {
                    name: 'event-with-attr',
                    timeUnixNano: T13E,
                    droppedAttributesCount: 2,
                    attributes: [str('span-event-attr', 'span-event-attr-val')],
                  },
                  { name: 'event', timeUnixNano: T13E, droppedAttributesCount: 2 },
                ],
              },
              {
                name: 'operationB',
                startTimeUnixNano: T12,
                endTimeUnixNano: T13,
                droppedLinksCount: 3,
                links: [
                  { droppedAttributesCount: 4, attributes: [str('span-link-attr', 'span-link-attr-val')] },
                  { droppedAttributesCount: 4 },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
}

function oneLogRecord(): Buffer {
  return encodeRequest('logs', {
    resourceLogs: [
      {
        resource: RESOURCE,
        scopeLogs: [
          {
            scope: {},
            logRecords: [
              {
                timeUnixNano: T13,
                severityText: 'Info',
                severityNumber: 9,
                body: { stringValue: 'This is a log message' },
                attributes: [str('app', 'server'), { key: 'instance_num', value: { intValue: 1 } }],
                traceId: Buffer.from('08040201000000000000000000000000', 'hex'),
                spanId: Buffer.from('0102040800000000', 'hex'),
              },
            ],
          },
        ],
      },
    ],
  });
}

function twoGauges(): Buffer {
  const point = (attrs: { key: string; value: { stringValue: string } }[], v: object) => ({
    attributes: attrs,
    startTimeUnixNano: T12,
    timeUnixNano: T13,
    ...v,
  });
  return encodeRequest('metrics', {
    resourceMetrics: [
      {
        resource: RESOURCE,
        scopeMetrics: [
          {
            scope: {},
            metrics: [
              {
                name: 'gauge-int',
                unit: '1',
                gauge: {
                  dataPoints: [
                    point([str('label-1', 'label-value-1')], { asInt: 123 }),
                    point([str('label-2', 'label-value-2')], { asInt: 456 }),
                  ],
                },
              },
              {
                name: 'gauge-double',
                unit: '1',
                gauge: {
                  dataPoints: [
                    point([str('label-1', 'label-value-1'), str('label-2', 'label-value-2')], { asDouble: 1.23 }),
                    point([str('label-1', 'label-value-1'), str('label-3', 'label-value-3')], { asDouble: 4.56 }),
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  });
}

test('detailed output equals the Go debug exporter golden files (traces, logs, metrics)', () => {
  assert.equal(formatPayload('detailed', 'traces', twoSpans()), golden('two_spans.out'));
  assert.equal(formatPayload('detailed', 'logs', oneLogRecord()), golden('one_record.out'));
  assert.equal(formatPayload('detailed', 'metrics', twoGauges()), golden('two_gauges.out'));
});

test('normal output: one line per resource, scope and item, as Go writes them', () => {
  const traces = encodeRequest('traces', {
    resourceSpans: [
      {
        schemaUrl: 'https://opentelemetry.io/resource-schema-url',
        resource: {
          attributes: [str('resourceKey1', 'resourceValue1'), { key: 'resourceKey2', value: { boolValue: false } }],
        },
        scopeSpans: [
          {
            schemaUrl: 'http://opentelemetry.io/scope-schema-url',
            scope: {
              name: 'scope-name',
              version: '1.2.3',
              attributes: [str('scopeKey1', 'scopeValue1'), { key: 'scopeKey2', value: { boolValue: true } }],
            },
            spans: [
              {
                name: 'span-name',
                traceId: Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex'),
                spanId: Buffer.from('1112131415161718', 'hex'),
                attributes: [str('key1', 'value1'), str('key2', 'value2')],
              },
            ],
          },
        ],
      },
    ],
  });
  assert.equal(
    formatPayload('normal', 'traces', traces),
    'ResourceTraces #0 [https://opentelemetry.io/resource-schema-url] resourceKey1=resourceValue1 resourceKey2=false\n' +
      'ScopeTraces #0 scope-name@1.2.3 [http://opentelemetry.io/scope-schema-url] scopeKey1=scopeValue1 scopeKey2=true\n' +
      'span-name 0102030405060708090a0b0c0d0e0f10 1112131415161718 key1=value1 key2=value2\n',
  );
  assert.equal(
    formatPayload('normal', 'metrics', twoGauges()),
    'ResourceMetrics #0 resource-attr=resource-attr-val-1\nScopeMetrics #0\ngauge-int{label-1=label-value-1} 123\ngauge-int{label-2=label-value-2} 456\n' +
      'gauge-double{label-1=label-value-1,label-2=label-value-2} 1.23\ngauge-double{label-1=label-value-1,label-3=label-value-3} 4.56\n',
  );
  assert.equal(
    formatPayload('normal', 'logs', oneLogRecord()),
    'ResourceLog #0 resource-attr=resource-attr-val-1\nScopeLog #0\nThis is a log message app=server instance_num=1\n',
  );
});

test('basic counts are read from the bytes: resources, metrics, items', () => {
  assert.deepEqual(basicFields('traces', twoSpans()), { 'resource spans': 1, spans: 2 });
  assert.deepEqual(basicFields('metrics', twoGauges()), { 'resource metrics': 1, metrics: 2, 'data points': 4 });
  assert.deepEqual(basicFields('logs', oneLogRecord()), { 'resource logs': 1, 'log records': 1 });
  assert.equal(formatPayload('basic', 'traces', twoSpans()), undefined);
});

test('Go number and time formats', () => {
  assert.equal(goTime('0'), '1970-01-01 00:00:00 +0000 UTC');
  assert.equal(goTime('1581452772000000321'), '2020-02-11 20:26:12.000000321 +0000 UTC');
  assert.equal(goTime('1581452772500000000'), '2020-02-11 20:26:12.5 +0000 UTC');
  assert.deepEqual([1.5, 1234567, 100000000, 0.00001, 123456].map(goFloatV), [
    '1.5',
    '1.234567e+06',
    '1e+08',
    '1e-05',
    '123456',
  ]);
});

test("sampling: zap's initial-then-every-Nth per message per second", () => {
  const s = new Sampler(2, 3);
  const passed = Array.from({ length: 9 }, () => s.allow('Traces', 5000)).map((b) => (b ? 1 : 0));
  assert.deepEqual(passed, [1, 1, 0, 0, 1, 0, 0, 1, 0]);
  assert.equal(s.allow('Traces', 6000), true);
  const all = new Sampler(2, 1);
  assert.ok(Array.from({ length: 10 }, () => all.allow('x', 0)).every(Boolean));
});

async function runExporter(verbosity: 'basic' | 'detailed', signal: Signal, bytes: Buffer, items: number) {
  const settings = testSettings('exporter', 'debug');
  const exporter = createDebugExporter(settings, { ...defaultDebugExporterConfig(), verbosity }, signal);
  await exporter.start(testHost());
  const payload: Payload = { signal, bytes, items, context: {} };
  const result = await exporter.consume(payload);
  await exporter.shutdown();
  return { result, lines: settings.logger.lines };
}

test('the exporter logs the basic line at info, and the detailed text as a second line', async () => {
  const basic = await runExporter('basic', 'traces', twoSpans(), 2);
  assert.equal(basic.result.status, 'success');
  assert.deepEqual(
    basic.lines.map((l) => [l.level, l.msg, l.fields]),
    [['info', 'Traces', { 'resource spans': 1, spans: 2 }]],
  );
  const detailed = await runExporter('detailed', 'logs', oneLogRecord(), 1);
  assert.equal(detailed.lines.length, 2);
  assert.equal(detailed.lines[1]!.msg, golden('one_record.out'));
});

test('malformed bytes are a permanent failure, not a crash', async () => {
  const { result } = await runExporter('detailed', 'traces', Buffer.from([0x0a, 0xff]), 1);
  assert.equal(result.status, 'failure');
});

test('config: schema defaults are Go defaults (basic, 2, 1, queue off)', async () => {
  const { validateConfig } = await import('../../../config/validate.ts');
  const { fromPlain } = await import('../../../config/node.ts');
  const { debugExporterFactory } = await import('./factory.ts');
  const result = validateConfig(
    debugExporterFactory.configSchema,
    fromPlain({}, undefined),
    'exporters.debug',
    undefined,
  );
  assert.deepEqual(result.issues, []);
  assert.deepEqual(JSON.parse(JSON.stringify(result.value)), JSON.parse(JSON.stringify(defaultDebugExporterConfig())));
  const bad = validateConfig(
    debugExporterFactory.configSchema,
    fromPlain({ verbosity: 'verbose' }, undefined),
    'exporters.debug',
    undefined,
  );
  assert.ok(bad.issues.length > 0);
});
