// The metric part of the detailed (otlptext) dump: descriptor, then data points of each metric type.
import type { PMessage } from '../../../pdata/decode.ts';
import type { TextBuffer } from './text-buffer.ts';
import { exponentialBuckets } from './exponential-buckets.ts';
import { goFloatF, goTime, hexId, int, list, msg, num, str } from './text-values.ts';

const TEMPORALITY = ['Unspecified', 'Delta', 'Cumulative'];

/** Writes `Metric #k` with its descriptor and data points. */
export function writeMetric(b: TextBuffer, m: PMessage, k: number): void {
  b.line(`Metric #${k}`);
  b.line('Descriptor:');
  b.line(`     -> Name: ${str(m.name)}`);
  b.line(`     -> Description: ${str(m.description)}`);
  b.line(`     -> Unit: ${str(m.unit)}`);
  b.line(`     -> DataType: ${dataType(m)}`);
  b.attributes('     -> Metadata', m.metadata);
  if (m.gauge !== undefined) numberPoints(b, list(msg(m.gauge).dataPoints));
  else if (m.sum !== undefined) {
    const sum = msg(m.sum);
    b.line(`     -> IsMonotonic: ${sum.isMonotonic === true}`);
    b.line(`     -> AggregationTemporality: ${TEMPORALITY[num(sum.aggregationTemporality)] ?? ''}`);
    numberPoints(b, list(sum.dataPoints));
  } else if (m.histogram !== undefined) {
    b.line(`     -> AggregationTemporality: ${TEMPORALITY[num(msg(m.histogram).aggregationTemporality)] ?? ''}`);
    list(msg(m.histogram).dataPoints).forEach((p, i) => {
      histogramPoint(b, p, i);
    });
  } else if (m.exponentialHistogram !== undefined) {
    b.line(
      `     -> AggregationTemporality: ${TEMPORALITY[num(msg(m.exponentialHistogram).aggregationTemporality)] ?? ''}`,
    );
    list(msg(m.exponentialHistogram).dataPoints).forEach((p, i) => {
      expHistogramPoint(b, p, i);
    });
  } else if (m.summary !== undefined)
    list(msg(m.summary).dataPoints).forEach((p, i) => {
      summaryPoint(b, p, i);
    });
}

function dataType(m: PMessage): string {
  if (m.gauge !== undefined) return 'Gauge';
  if (m.sum !== undefined) return 'Sum';
  if (m.histogram !== undefined) return 'Histogram';
  if (m.exponentialHistogram !== undefined) return 'ExponentialHistogram';
  return m.summary !== undefined ? 'Summary' : 'Empty';
}

function pointHeader(b: TextBuffer, title: string, p: PMessage): void {
  b.line(title);
  b.attributes('Data point attributes', p.attributes);
  b.line(`StartTimestamp: ${goTime(p.startTimeUnixNano)}`);
  b.line(`Timestamp: ${goTime(p.timeUnixNano)}`);
}

function numberPoints(b: TextBuffer, points: readonly PMessage[]): void {
  points.forEach((p, i) => {
    pointHeader(b, `NumberDataPoints #${i}`, p);
    if (p.asInt !== undefined) b.line(`Value: ${int(p.asInt)}`);
    else if (p.asDouble !== undefined) b.line(`Value: ${goFloatF(num(p.asDouble))}`);
    exemplars(b, list(p.exemplars));
  });
}

function stats(b: TextBuffer, p: PMessage): void {
  b.line(`Count: ${int(p.count)}`);
  if (p.sum !== undefined) b.line(`Sum: ${goFloatF(num(p.sum))}`);
  if (p.min !== undefined) b.line(`Min: ${goFloatF(num(p.min))}`);
  if (p.max !== undefined) b.line(`Max: ${goFloatF(num(p.max))}`);
}

function histogramPoint(b: TextBuffer, p: PMessage, i: number): void {
  pointHeader(b, `HistogramDataPoints #${i}`, p);
  stats(b, p);
  const bounds = Array.isArray(p.explicitBounds) ? (p.explicitBounds as number[]) : [];
  bounds.forEach((bound, j) => {
    b.line(`ExplicitBounds #${j}: ${goFloatF(bound)}`);
  });
  const counts = Array.isArray(p.bucketCounts) ? (p.bucketCounts as string[]) : [];
  counts.forEach((c, j) => {
    b.line(`Buckets #${j}, Count: ${c}`);
  });
  exemplars(b, list(p.exemplars));
}

function expHistogramPoint(b: TextBuffer, p: PMessage, i: number): void {
  pointHeader(b, `ExponentialHistogramDataPoints #${i}`, p);
  stats(b, p);
  const buckets = exponentialBuckets(p);
  for (const x of buckets.negative) b.line(`Bucket [${goFloatF(-x.upper)}, ${goFloatF(-x.lower)}), Count: ${x.count}`);
  if (int(p.zeroCount) !== '0') b.line(`Bucket [0, 0], Count: ${int(p.zeroCount)}`);
  for (const x of buckets.positive) b.line(`Bucket (${goFloatF(x.lower)}, ${goFloatF(x.upper)}], Count: ${x.count}`);
  exemplars(b, list(p.exemplars));
}

function summaryPoint(b: TextBuffer, p: PMessage, i: number): void {
  pointHeader(b, `SummaryDataPoints #${i}`, p);
  b.line(`Count: ${int(p.count)}`);
  b.line(`Sum: ${goFloatF(num(p.sum))}`);
  list(p.quantileValues).forEach((q, j) => {
    b.line(`QuantileValue #${j}: Quantile ${goFloatF(num(q.quantile))}, Value ${goFloatF(num(q.value))}`);
  });
}

function exemplars(b: TextBuffer, items: readonly PMessage[]): void {
  if (items.length === 0) return;
  b.line('Exemplars:');
  items.forEach((e, i) => {
    b.line(`Exemplar #${i}`);
    b.line(`     -> Trace ID: ${hexId(e.traceId)}`);
    b.line(`     -> Span ID: ${hexId(e.spanId)}`);
    b.line(`     -> Timestamp: ${goTime(e.timeUnixNano)}`);
    if (e.asInt !== undefined) b.line(`     -> Value: ${int(e.asInt)}`);
    else if (e.asDouble !== undefined) b.line(`     -> Value: ${goFloatF(num(e.asDouble))}`);
    b.attributes('     -> FilteredAttributes', e.filteredAttributes);
  });
}
