// The generated benchmark config: the exporter's compression and level are what each row claims to run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { collectorConfig } from './collector-config.ts';

const PORTS = { receiverPort: 1, sinkPort: 2, metricsPort: 3 };

function exporter(yamlText: string): Record<string, unknown> {
  const doc = parse(yamlText) as { exporters: { otlp: Record<string, unknown> } };
  return doc.exporters.otlp;
}

test('no compression option keeps the exporter default; none and a gzip level are written as asked', () => {
  const plain = exporter(collectorConfig(PORTS));
  assert.equal(plain.compression, undefined);
  assert.equal(plain.compression_params, undefined);
  assert.equal(exporter(collectorConfig({ ...PORTS, compression: 'none' })).compression, 'none');
  const six = exporter(collectorConfig({ ...PORTS, compression: 'gzip', gzipLevel: 6 }));
  assert.equal(six.compression, 'gzip');
  assert.deepEqual(six.compression_params, { level: 6 });
});

test('queueBatch moves batching into the exporter queue; storageDir makes that queue persistent', () => {
  const inMemory = parse(collectorConfig({ ...PORTS, queueBatch: {} })) as Record<string, any>;
  assert.deepEqual(inMemory.service.pipelines.traces.processors, []);
  assert.deepEqual(inMemory.exporters.otlp.sending_queue, { batch: {} });
  const persistent = parse(collectorConfig({ ...PORTS, queueBatch: { storageDir: '/tmp/q' } })) as Record<string, any>;
  assert.deepEqual(persistent.exporters.otlp.sending_queue, { batch: {}, storage: 'file_storage/queue' });
  assert.deepEqual(persistent.extensions, { 'file_storage/queue': { directory: '/tmp/q', create_directory: true } });
  assert.deepEqual(persistent.service.extensions, ['file_storage/queue']);
});
