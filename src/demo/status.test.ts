// The demo's status line reads the gateway's Prometheus text: every sample of a metric is summed,
// and a metric whose name only starts the same is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sumMetric } from './status.ts';

test('sumMetric adds every labelled sample of one metric and nothing else', () => {
  const text = [
    '# HELP otelcol_receiver_accepted_spans_total Spans accepted',
    'otelcol_receiver_accepted_spans_total{receiver="otlp",transport="grpc"} 1200',
    'otelcol_receiver_accepted_spans_total{receiver="otlp",transport="http"} 34',
    'otelcol_receiver_accepted_spans_totalish 99',
    'otelcol_receiver_refused_spans_total{receiver="otlp",transport="grpc"} 5',
  ].join('\n');
  assert.equal(sumMetric(text, 'otelcol_receiver_accepted_spans_total'), 1234);
  assert.equal(sumMetric(text, 'otelcol_receiver_refused_spans_total'), 5);
  assert.equal(sumMetric(text, 'otelcol_exporter_sent_spans_total'), 0);
});
