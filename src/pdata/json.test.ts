// OTLP/JSON conversion against protobufjs: protobufToJson equals the protobufjs decode mapped per the
// OTLP spec, JSON round-trips to the same request, and the Go collector's lenient input forms are read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonToProtobuf, protobufToJson, encodeExportResponse, exportResponseJson, JsonError } from './json.ts';
import * as proto from '../../test/helpers/otlp-proto.ts';
import { arbSignalRequest } from '../../test/helpers/otlp-arbitrary.ts';

const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** The OTLP/JSON mapping of a protobufjs object: hex ids, base64 bytes, non-finite doubles as strings. */
function specJson(value: unknown, key = ''): unknown {
  if (Buffer.isBuffer(value)) return ID_KEYS.has(key) ? value.toString('hex') : value.toString('base64');
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (Array.isArray(value)) return value.map((v) => specJson(v, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, specJson(v, k)]));
  }
  return value;
}

test('protobufToJson equals the protobufjs decode mapped per the OTLP/JSON spec', () => {
  fc.assert(
    fc.property(arbSignalRequest, ({ signal, request }) => {
      const bytes = proto.encodeRequest(signal, request);
      assert.deepEqual(JSON.parse(protobufToJson(signal, bytes)), specJson(proto.decodeRequest(signal, bytes)));
    }),
    { numRuns: 150 },
  );
});

test('jsonToProtobuf(protobufToJson(x)) decodes to x', () => {
  fc.assert(
    fc.property(arbSignalRequest, ({ signal, request }) => {
      const bytes = proto.encodeRequest(signal, request);
      assert.deepEqual(proto.decodeRequest(signal, jsonToProtobuf(signal, protobufToJson(signal, bytes))), request);
    }),
    { numRuns: 150 },
  );
});

test('reads the lenient forms the Go collector accepts', () => {
  const text = `{"resource_spans":[{"resource":{"attributes":[{"key":"n","value":{"int_value":9223372036854775807}}]},
    "scope_spans":[{"spans":[{"trace_id":"0102030405060708090A0B0C0D0E0F10","span_id":"","kind":"SPAN_KIND_SERVER",
    "start_time_unix_nano":18446744073709551615,"end_time_unix_nano":"1700000000000000000","flags":"3",
    "status":{"code":"STATUS_CODE_ERROR","message":null},"unknownField":{"x":[1,2]},
    "attributes":[{"key":"d","value":{"double_value":"NaN"}},{"key":"b","value":{"bytesValue":"AQI"}}]}]}]}]}`;
  const got = proto.decodeRequest('traces', jsonToProtobuf('traces', text));
  const span = got.resourceSpans[0].scopeSpans[0].spans[0];
  assert.equal(got.resourceSpans[0].resource.attributes[0].value.intValue, '9223372036854775807');
  assert.equal(span.traceId.toString('hex'), '0102030405060708090a0b0c0d0e0f10');
  assert.equal(span.spanId, undefined);
  assert.equal(span.kind, 2);
  assert.equal(span.startTimeUnixNano, '18446744073709551615');
  assert.equal(span.endTimeUnixNano, '1700000000000000000');
  assert.equal(span.flags, 3);
  assert.deepEqual(span.status, { code: 2 });
  assert.ok(Number.isNaN(span.attributes[0].value.doubleValue));
  assert.deepEqual(span.attributes[1].value.bytesValue, Buffer.from([1, 2]));
});

test('accepts a Buffer and the metrics and logs requests of the OTLP examples', () => {
  const metrics = Buffer.from(
    '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","sum":{"aggregationTemporality":2,"isMonotonic":true,' +
      '"dataPoints":[{"asInt":"5","timeUnixNano":"1"}]}}]}]}]}',
  );
  const m = proto.decodeRequest('metrics', jsonToProtobuf('metrics', metrics));
  assert.deepEqual(m.resourceMetrics[0].scopeMetrics[0].metrics[0].sum, {
    aggregationTemporality: 2,
    isMonotonic: true,
    dataPoints: [{ asInt: '5', timeUnixNano: '1' }],
  });
  const logs =
    '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":"SEVERITY_NUMBER_WARN","body":{"stringValue":"hi"}}]}]}]}';
  const l = proto.decodeRequest('logs', jsonToProtobuf('logs', logs));
  assert.deepEqual(l.resourceLogs[0].scopeLogs[0].logRecords[0], { severityNumber: 13, body: { stringValue: 'hi' } });
  assert.equal(jsonToProtobuf('traces', '{}').length, 0);
});

const BAD: [string, string, RegExp][] = [
  ['bad syntax', '{"resourceSpans":[', /invalid JSON/],
  [
    'a short trace id',
    '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"abcd"}]}]}]}',
    /\$\.resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId: expected a hex id of 16 bytes, got "abcd"/,
  ],
  [
    'an unknown enum name',
    '{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SERVER"}]}]}]}',
    /spans\[0\]\.kind: unknown SpanKind value "SERVER"/,
  ],
  ['a string where a list goes', '{"resourceSpans":"x"}', /\$\.resourceSpans: expected an array/],
  ['a number for a string', '{"resourceSpans":[{"schemaUrl":5}]}', /schemaUrl: expected a string, got 5/],
  [
    'a fraction for an integer',
    '{"resourceSpans":[{"scopeSpans":[{"spans":[{"droppedAttributesCount":1.5}]}]}]}',
    /droppedAttributesCount: expected an integer/,
  ],
  [
    'a uint64 out of range',
    '{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"18446744073709551616"}]}]}]}',
    /startTimeUnixNano: expected an integer in/,
  ],
  [
    'bad base64',
    '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"bytesValue":"%%"}}]}]}]}',
    /bytesValue: expected base64 text/,
  ],
  ['an array as the request', '[]', /\$: expected an object/],
];

for (const [name, text, message] of BAD) {
  test(`refuses ${name} with a JsonError naming the path`, () => {
    const signal = text.includes('resourceLogs') ? 'logs' : 'traces';
    assert.throws(
      () => jsonToProtobuf(signal, text),
      (e: unknown) => e instanceof JsonError && message.test(e.message),
    );
  });
}

test('export responses carry partial_success like the Go collector', () => {
  assert.deepEqual(proto.decodeResponse('traces', encodeExportResponse('traces')), { partialSuccess: {} });
  const partial = { rejected: 3, message: 'dropped' };
  assert.deepEqual(proto.decodeResponse('metrics', encodeExportResponse('metrics', partial)), {
    partialSuccess: { rejectedDataPoints: '3', errorMessage: 'dropped' },
  });
  assert.deepEqual(
    proto.decodeResponse('logs', encodeExportResponse('logs', partial)).partialSuccess.rejectedLogRecords,
    '3',
  );
  assert.equal(exportResponseJson('traces'), '{"partialSuccess":{}}');
  assert.equal(
    exportResponseJson('traces', partial),
    '{"partialSuccess":{"rejectedSpans":"3","errorMessage":"dropped"}}',
  );
});
