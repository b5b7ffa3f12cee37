// validateRequest against protobufjs: its count equals the count over the fully decoded request, and
// malformed input is refused with a message naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Signal } from '../contracts/signal.ts';
import { validateRequest, MAX_NESTING } from './validate.ts';
import { countItems } from './count.ts';
import { encodeMessage } from './encode.ts';
import { WireError } from './wire.ts';
import * as proto from '../../test/helpers/otlp-proto.ts';
import { arbSignalRequest } from '../../test/helpers/otlp-arbitrary.ts';

type Obj = Record<string, any>;
const DATA = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];

/** Items as the Go collector counts them (SpanCount, LogRecordCount, DataPointCount), from a decoded object. */
function countDecoded(signal: Signal, req: Obj): number {
  let n = 0;
  for (const rs of req[proto.RESOURCE_FIELD[signal]] ?? []) {
    for (const ss of rs.scopeSpans ?? rs.scopeLogs ?? rs.scopeMetrics ?? []) {
      if (signal === 'traces') n += ((ss.spans ?? []) as unknown[]).length;
      if (signal === 'logs') n += ((ss.logRecords ?? []) as unknown[]).length;
      if (signal === 'metrics') {
        for (const m of ss.metrics ?? []) {
          const data = DATA.map((k) => m[k] as Obj | undefined).find((d) => d !== undefined);
          n += ((data?.dataPoints ?? []) as unknown[]).length;
        }
      }
    }
  }
  return n;
}

test('the count equals the item count of the protobufjs-decoded request, and countItems agrees', () => {
  fc.assert(
    fc.property(arbSignalRequest, ({ signal, request }) => {
      const bytes = proto.encodeRequest(signal, request);
      const expected = countDecoded(signal, proto.decodeRequest(signal, bytes));
      assert.equal(validateRequest(signal, bytes), expected);
      assert.equal(countItems(signal, bytes), expected);
    }),
    { numRuns: 200 },
  );
});

test('counts the 1,000-span sample and an empty request', () => {
  const bytes = proto.encodeRequest('traces', proto.sampleTracesRequest(1000));
  assert.equal(validateRequest('traces', bytes), 1000);
  assert.equal(validateRequest('logs', Buffer.alloc(0)), 0);
});

test('unknown fields of every wire type are skipped at any level', () => {
  const unknown = Buffer.from([
    0xa8, 0x06, 0x96, 0x01, 0xb1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0xba, 0x06, 2, 0x61, 0x62, 0xbd, 0x06, 1, 2, 3, 4,
  ]);
  const span = Buffer.concat([unknown, encodeMessage('Span', { name: 'x', kind: 2 }), unknown]);
  const scope = Buffer.concat([Buffer.from([0x12, span.length]), span, unknown]);
  const rs = Buffer.concat([Buffer.from([0x12, scope.length]), scope]);
  const req = Buffer.concat([unknown, Buffer.from([0x0a, rs.length]), rs]);
  assert.equal(validateRequest('traces', req), 1);
  assert.equal(countItems('traces', req), 1);
});

test('a metric with two data members counts only the last, as Go does', () => {
  const metric = Buffer.concat([
    encodeMessage('Metric', { gauge: { dataPoints: [{}, {}] } }),
    encodeMessage('Metric', { sum: { dataPoints: [{}] } }),
  ]);
  const req = encodeRequestAround('metrics', metric);
  assert.equal(validateRequest('metrics', req), 1);
  assert.equal(countItems('metrics', req), 1);
});

test('packed and unpacked repeated scalars are both accepted; bad packed lengths are refused', () => {
  const point = (b: number[]) => encodeRequestAround('metrics', encodeMessage('Metric', {}), Buffer.from(b));
  assert.equal(validateRequest('metrics', point([0x32, 8, 1, 0, 0, 0, 0, 0, 0, 0])), 1);
  assert.equal(validateRequest('metrics', point([0x31, 1, 0, 0, 0, 0, 0, 0, 0])), 1);
  assert.throws(
    () => validateRequest('metrics', point([0x32, 3, 1, 2, 3])),
    /HistogramDataPoint.bucket_counts .*multiple/,
  );
});

const MALFORMED: [string, number[], RegExp][] = [
  [
    'resource_spans as a varint',
    [0x08, 0x01],
    /ExportTraceServiceRequest.resource_spans at offset 0: wrong wire type 0/,
  ],
  ['length past the end', [0x0a, 0x05, 0x12], /resource_spans at offset 0: length 5 runs past the end/],
  ['a 2^31 length prefix', [0x0a, 0x80, 0x80, 0x80, 0x80, 0x08], /length 2147483648 runs past the end/],
  ['truncated varint', [0x0a, 0x80], /truncated or overlong varint/],
  ['field number 0', [0x02, 0x00], /field number 0/],
  ['a group', [0x1b, 0x1c], /unsupported wire type 3/],
  ['wire type 7', [0x17], /unsupported wire type 7/],
  ['truncated fixed64', [0x11, 1, 2, 3], /truncated fixed-width value/],
];

for (const [name, bytes, message] of MALFORMED) {
  test(`refuses ${name}`, () => {
    assert.throws(
      () => validateRequest('traces', Buffer.from(bytes)),
      (e: unknown) => e instanceof WireError && message.test(e.message),
    );
  });
}

test('trace and span ids must be 16 and 8 bytes (or empty), as Go requires', () => {
  const spanReq = (span: object) =>
    proto.encodeRequest('traces', { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
  assert.equal(validateRequest('traces', spanReq({ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 1) })), 1);
  assert.throws(
    () => validateRequest('traces', spanReq({ traceId: Buffer.alloc(15, 1) })),
    /Span.trace_id .* an id of 15 bytes/,
  );
  assert.throws(() => validateRequest('traces', spanReq({ parentSpanId: Buffer.alloc(9, 1) })), /Span.parent_span_id/);
  const log = proto.encodeRequest('logs', {
    resourceLogs: [{ scopeLogs: [{ logRecords: [{ spanId: Buffer.alloc(4) }] }] }],
  });
  assert.throws(() => validateRequest('logs', log), /LogRecord.span_id/);
});

test('wrong wire types deep inside a span name the field', () => {
  const bad = Buffer.from([0x4a, 0x04, 0x12, 0x02, 0x10, 0x80]); // attributes → value → bool_value truncated
  const scope = Buffer.concat([Buffer.from([0x12, bad.length]), bad]);
  const req = encodeRequestAround('traces', undefined, undefined, scope);
  assert.throws(() => validateRequest('traces', req), /AnyValue.bool_value .*truncated or overlong varint/);
  const wrongKind = Buffer.from([0x35, 0x00, 0x00, 0x00, 0x00]);
  assert.throws(
    () =>
      validateRequest(
        'traces',
        encodeRequestAround('traces', undefined, undefined, Buffer.concat([Buffer.from([0x12, 5]), wrongKind])),
      ),
    /Span.kind .*wrong wire type 5/,
  );
});

test(`nesting deeper than ${MAX_NESTING} is refused without exhausting the stack`, () => {
  let value = encodeMessage('AnyValue', { stringValue: 'x' });
  for (let i = 0; i < MAX_NESTING; i++) {
    const array = Buffer.concat([Buffer.from([0x0a]), varint(value.length), value]); // ArrayValue.values
    value = Buffer.concat([Buffer.from([0x2a]), varint(array.length), array]); // AnyValue.array_value
  }
  const log = Buffer.concat([Buffer.from([0x2a]), varint(value.length), value]); // LogRecord.body
  const req = encodeRequestAround(
    'logs',
    undefined,
    undefined,
    Buffer.concat([Buffer.from([0x12]), varint(log.length), log]),
  );
  assert.throws(() => validateRequest('logs', req), /nested deeper than/);
});

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** Wraps a Metric (and optionally one raw histogram point) or a raw Scope* body into a one-entry request. */
function encodeRequestAround(_signal: Signal, metric?: Buffer, rawPoint?: Buffer, rawScope?: Buffer): Buffer {
  let scope = rawScope;
  if (scope === undefined && metric !== undefined) {
    let m = metric;
    if (rawPoint !== undefined) {
      const hist = Buffer.concat([Buffer.from([0x0a]), varint(rawPoint.length), rawPoint]);
      m = Buffer.concat([metric, Buffer.from([0x4a]), varint(hist.length), hist]);
    }
    scope = Buffer.concat([Buffer.from([0x12]), varint(m.length), m]);
  }
  const s = scope ?? Buffer.alloc(0);
  const rs = Buffer.concat([Buffer.from([0x12]), varint(s.length), s]);
  return Buffer.concat([Buffer.from([0x0a]), varint(rs.length), rs]);
}
