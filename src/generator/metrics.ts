// telemetrygen's metrics: one Metric named --otlp-metric-name per item, of --metric-type Gauge, Sum
// (monotonic, --aggregation-temporality) or Histogram, with one data point carrying the
// --telemetry-attributes. Gauge and Sum values count up per worker, as telemetrygen's do.
import { writeAttributes } from './attributes.ts';
import type { GenOptions } from './options.ts';
import { ProtoWriter } from './proto-writer.ts';
import { resourceMessage, scopeMessage } from './resource.ts';
import { toTemplate, type Template } from './template.ts';

const BOUNDS = [0, 5, 10, 25, 50, 100, 250, 500, 1000];

/** An ExportMetricsServiceRequest template of `items` metrics. */
export function buildMetricTemplate(o: GenOptions, items: number): Template {
  const scopeMetrics = new ProtoWriter().message(1, scopeMessage());
  for (let i = 0; i < items; i++) scopeMetrics.message(2, metric(o, i));
  const rm = new ProtoWriter().message(1, resourceMessage(o)).message(2, scopeMetrics);
  return toTemplate(new ProtoWriter().message(1, rm), items);
}

function metric(o: GenOptions, i: number): ProtoWriter {
  const m = new ProtoWriter().string(1, o.metricName);
  if (o.metricType === 'Gauge') return m.message(5, new ProtoWriter().message(1, numberPoint(o, i)));
  if (o.metricType === 'Sum')
    return m.message(7, new ProtoWriter().message(1, numberPoint(o, i)).varint(2, o.temporality).varint(3, 1));
  return m.message(9, new ProtoWriter().message(1, histogramPoint(o, i)).varint(2, o.temporality));
}

// NumberDataPoint: start_time_unix_nano 2, time_unix_nano 3, as_int 6 (sfixed64), attributes 7.
function numberPoint(o: GenOptions, i: number): ProtoWriter {
  const p = new ProtoWriter().mark(2, 'time', 0).mark(3, 'time', 0).mark(6, 'counter', i);
  return writeAttributes(p, 7, o.telemetryAttributes);
}

// HistogramDataPoint: start 2, time 3, count 4, sum 5, bucket_counts 6, explicit_bounds 7, attributes 9.
function histogramPoint(o: GenOptions, i: number): ProtoWriter {
  const counts = BOUNDS.map((_, b) => (i + b) % 4).concat([1]);
  const total = counts.reduce((a, b) => a + b, 0);
  const packedCounts = Buffer.alloc(counts.length * 8);
  counts.forEach((c, k) => packedCounts.writeUInt32LE(c, k * 8));
  const packedBounds = Buffer.alloc(BOUNDS.length * 8);
  BOUNDS.forEach((b, k) => packedBounds.writeDoubleLE(b, k * 8));
  const p = new ProtoWriter()
    .mark(2, 'time', 0)
    .mark(3, 'time', 0)
    .fixed64(4, total)
    .double(5, total * 42.5)
    .bytes(6, packedCounts)
    .bytes(7, packedBounds);
  return writeAttributes(p, 9, o.telemetryAttributes);
}
