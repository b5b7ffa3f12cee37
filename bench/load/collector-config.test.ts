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

test('basicauth or oidc in front of the receiver: the extension, the reference and the service entry', () => {
  for (const [opts, id] of [
    [{ htpasswd: 'u:$2y$10$x' }, 'basicauth/server'],
    [{ oidc: { issuer: 'http://127.0.0.1:9/', audience: 'a' } }, 'oidc'],
  ] as const) {
    const doc = parse(collectorConfig({ ...PORTS, ...opts })) as {
      extensions: Record<string, unknown>;
      receivers: { otlp: { protocols: { grpc: { auth: { authenticator: string } } } } };
      service: { extensions: string[] };
    };
    assert.ok(doc.extensions[id]);
    assert.equal(doc.receivers.otlp.protocols.grpc.auth.authenticator, id);
    assert.deepEqual(doc.service.extensions, [id]);
  }
});

test("the seed gateway: TLS and basicauth on the receiver's grpc protocol, the exporter at its default compression", () => {
  const doc = parse(
    collectorConfig({ ...PORTS, tls: { certFile: '/c.pem', keyFile: '/k.pem' }, htpasswd: 'u:$2y$10$x' }),
  ) as {
    receivers: { otlp: { protocols: { grpc: Record<string, unknown> } } };
    exporters: { otlp: Record<string, unknown> };
  };
  const grpc = doc.receivers.otlp.protocols.grpc;
  assert.deepEqual(grpc.tls, { cert_file: '/c.pem', key_file: '/k.pem' });
  assert.deepEqual(grpc.auth, { authenticator: 'basicauth/server' });
  assert.equal(doc.exporters.otlp.compression, undefined);
});
