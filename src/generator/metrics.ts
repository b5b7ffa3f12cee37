// telemetrygen's metrics: one Metric named --otlp-metric-name per item, of --metric-type Gauge, Sum
// (monotonic, --aggregation-temporality) or Histogram, with one data point carrying the
// --telemetry-attributes. Gauge and Sum values count up per worker, as telemetrygen's do.
import { writeAttributes } from './attributes.ts';
import { TAG } from '../pdata/fields.ts';
import type { GenOptions } from './options.ts';
import { ProtoWriter } from './proto-writer.ts';
import { resourceMessage, scopeMessage } from './resource.ts';
import { toTemplate, type Template } from './template.ts';

const BOUNDS = [0, 5, 10, 25, 50, 100, 250, 500, 1000];

/** An ExportMetricsServiceRequest template of `items` metrics. */
export function buildMetricTemplate(o: GenOptions, items: number): Template {
  const scopeMetrics = new ProtoWriter().message(TAG.ScopeMetrics.scope, scopeMessage());
  for (let i = 0; i < items; i++) scopeMetrics.message(TAG.ScopeMetrics.metrics, metric(o, i));
  const rm = new ProtoWriter()
    .message(TAG.ResourceMetrics.resource, resourceMessage(o))
    .message(TAG.ResourceMetrics.scopeMetrics, scopeMetrics);
  return toTemplate(new ProtoWriter().message(TAG.ExportMetricsServiceRequest.resourceMetrics, rm), items);
}

function metric(o: GenOptions, i: number): ProtoWriter {
  const m = new ProtoWriter().string(TAG.Metric.name, o.metricName);
  if (o.metricType === 'Gauge') {
    return m.message(TAG.Metric.gauge, new ProtoWriter().message(TAG.Gauge.dataPoints, numberPoint(o, i)));
  }
  if (o.metricType === 'Sum') {
    const sum = new ProtoWriter()
      .message(TAG.Sum.dataPoints, numberPoint(o, i))
      .varint(TAG.Sum.aggregationTemporality, o.temporality)
      .varint(TAG.Sum.isMonotonic, 1);
    return m.message(TAG.Metric.sum, sum);
  }
  const histogram = new ProtoWriter()
    .message(TAG.Histogram.dataPoints, histogramPoint(o, i))
    .varint(TAG.Histogram.aggregationTemporality, o.temporality);
  return m.message(TAG.Metric.histogram, histogram);
}

const NP = TAG.NumberDataPoint;
const HP = TAG.HistogramDataPoint;

/** A NumberDataPoint whose as_int (sfixed64) is the per-worker counter. */
function numberPoint(o: GenOptions, i: number): ProtoWriter {
  const p = new ProtoWriter().mark(NP.startTimeUnixNano, 'time', 0).mark(NP.timeUnixNano, 'time', 0);
  p.mark(NP.asInt, 'counter', i);
  return writeAttributes(p, NP.attributes, o.telemetryAttributes);
}

/** A HistogramDataPoint over BOUNDS; bucket counts and bounds are packed fixed64 / double. */
function histogramPoint(o: GenOptions, i: number): ProtoWriter {
  const counts = BOUNDS.map((_, b) => (i + b) % 4).concat([1]);
  const total = counts.reduce((a, b) => a + b, 0);
  const packedCounts = Buffer.alloc(counts.length * 8);
  counts.forEach((c, k) => packedCounts.writeUInt32LE(c, k * 8));
  const packedBounds = Buffer.alloc(BOUNDS.length * 8);
  BOUNDS.forEach((b, k) => packedBounds.writeDoubleLE(b, k * 8));
  const p = new ProtoWriter()
    .mark(HP.startTimeUnixNano, 'time', 0)
    .mark(HP.timeUnixNano, 'time', 0)
    .fixed64(HP.count, total)
    .double(HP.sum, total * 42.5)
    .bytes(HP.bucketCounts, packedCounts)
    .bytes(HP.explicitBounds, packedBounds);
  return writeAttributes(p, HP.attributes, o.telemetryAttributes);
}
