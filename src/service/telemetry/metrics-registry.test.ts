import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsRegistry } from './metrics-registry.ts';

test('renders counters with _total, gauges, observed gauges and histograms in the Prometheus text format', () => {
  const r = new MetricsRegistry({ service_name: 'telegate' });
  const accepted = r.counter('otelcol_receiver_accepted_spans', 'Spans accepted', {
    receiver: 'otlp',
    transport: 'grpc',
  });
  accepted.add(3);
  accepted.add(2);
  r.gauge('otelcol_exporter_queue_capacity', 'Capacity', { exporter: 'otlp', data_type: 'traces' }).set(1000);
  r.observe('otelcol_exporter_queue_size', 'Size', { exporter: 'otlp', data_type: 'traces' }, () => 7);
  const h = r.histogram(
    'otelcol_processor_batch_batch_send_size',
    'Items per batch',
    { processor: 'batch' },
    [10, 100],
  );
  h.record(5);
  h.record(50);
  h.record(500);
  const text = r.render();
  assert.match(text, /# TYPE otelcol_receiver_accepted_spans_total counter\n/);
  assert.match(
    text,
    /otelcol_receiver_accepted_spans_total\{receiver="otlp",transport="grpc",service_name="telegate"\} 5\n/,
  );
  assert.match(
    text,
    /otelcol_exporter_queue_capacity\{data_type="traces",exporter="otlp",service_name="telegate"\} 1000\n/,
  );
  assert.match(text, /otelcol_exporter_queue_size\{data_type="traces",exporter="otlp",service_name="telegate"\} 7\n/);
  assert.match(
    text,
    /otelcol_processor_batch_batch_send_size_bucket\{processor="batch",service_name="telegate",le="10"\} 1\n/,
  );
  assert.match(
    text,
    /otelcol_processor_batch_batch_send_size_bucket\{processor="batch",service_name="telegate",le="100"\} 2\n/,
  );
  assert.match(
    text,
    /otelcol_processor_batch_batch_send_size_bucket\{processor="batch",service_name="telegate",le="\+Inf"\} 3\n/,
  );
  assert.match(text, /otelcol_processor_batch_batch_send_size_sum\{processor="batch",service_name="telegate"\} 555\n/);
  assert.equal(r.value('otelcol_receiver_accepted_spans', { receiver: 'otlp', transport: 'grpc' }), 5);
});

test('label values are escaped and the same series is shared by two registrations', () => {
  const r = new MetricsRegistry();
  r.counter('c', 'help', { id: 'a"b\\c\nd' }).add(1);
  r.counter('c', 'help', { id: 'a"b\\c\nd' }).add(1);
  assert.match(r.render(), /c_total\{id="a\\"b\\\\c\\nd"\} 2\n/);
  assert.throws(() => r.gauge('c_total', 'help', {}), /registered as counter and gauge/);
});
