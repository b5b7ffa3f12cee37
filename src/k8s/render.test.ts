// What a render reports and how the variants differ: the telegate-only keys left out on
// otelcol-contrib (and said), the operator's Service names, and the check of rendered configs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConfigs } from './check-configs.ts';
import { NO_EXISTING } from './credentials.ts';
import { parseSpec } from './load-spec.ts';
import { render } from './render.ts';
import type { K8sSpec } from './spec.ts';

function spec(backend = ''): K8sSpec {
  const text = `gateway: { cluster: gw, host: t.example.com${backend} }\nedges: [{ cluster: e1, zone: z }]\n`;
  const loaded = parseSpec(text, 'f');
  if ('issues' in loaded) throw new Error('bad spec');
  return loaded.spec;
}

function gatewayConfigOf(runtime: 'telegate' | 'otelcol-contrib'): Record<string, unknown> {
  const result = render(spec(), { runtime, operator: false, existing: NO_EXISTING, generate: () => 'pw' });
  return result.collectors[0]?.config ?? {};
}

test('otelcol-contrib leaves out the telegate-only keys and says which', () => {
  const result = render(spec(), {
    runtime: 'otelcol-contrib',
    operator: false,
    existing: NO_EXISTING,
    generate: () => 'pw',
  });
  assert.deepEqual(
    result.notes.filter((n) => n.includes('left out')),
    [
      "gw: left out for otelcol-contrib: extensions.basicauth/server.throttle (telegate's throttle of password guessing; it counts per replica)",
    ],
  );
  const auth = (c: Record<string, unknown>): unknown =>
    (c['extensions'] as Record<string, unknown>)['basicauth/server'];
  assert.deepEqual(auth(gatewayConfigOf('otelcol-contrib')), { htpasswd: { file: '/etc/telegate/htpasswd/htpasswd' } });
  assert.deepEqual(auth(gatewayConfigOf('telegate')), {
    htpasswd: { file: '/etc/telegate/htpasswd/htpasswd' },
    throttle: { enabled: true },
  });
  const images = result.files
    .flatMap((f) => f.objects)
    .flatMap((o) => JSON.stringify(o).match(/"image":"[^"]+"/g) ?? []);
  assert.ok(images.includes('"image":"otel/opentelemetry-collector-contrib:0.139.0"'));
  assert.ok(result.notes.some((n) => /reads the htpasswd file only at start/.test(n)));
  assert.ok(result.notes.some((n) => /generator and the all-in-one backend still run the telegate image/.test(n)));
  assert.ok(result.notes.some((n) => /queue-owner init container .* runs the telegate image too/.test(n)));
});

test('the state notes say what the replicas keep and that the in-memory backend is one replica', () => {
  const result = render(spec(), { runtime: 'telegate', operator: false, existing: NO_EXISTING, generate: () => 'pw' });
  assert.ok(result.notes.some((n) => /share no state/.test(n)));
  assert.ok(result.notes.some((n) => /in memory: one replica/.test(n)));
  const otlp = render(spec(', backend: { otlp: { endpoint: "j:4317" } }'), {
    runtime: 'telegate',
    operator: false,
    existing: NO_EXISTING,
    generate: () => 'pw',
  });
  assert.ok(!otlp.notes.some((n) => /in memory/.test(n)));
  assert.ok(!otlp.files.some((f) => f.path.endsWith('40-backend.yaml')));
});

test('with --operator the Ingress and the generator use the Services the operator makes', () => {
  const result = render(spec(), { runtime: 'telegate', operator: true, existing: NO_EXISTING, generate: () => 'pw' });
  const text = JSON.stringify(result.files.flatMap((f) => f.objects));
  assert.match(text, /"service":\{"name":"telegate-gateway-collector"/);
  assert.match(text, /--otlp-endpoint=telegate-edge-collector:4317/);
  assert.ok(!result.files.some((f) => /config\.yaml$/.test(f.path)), 'the config is inline');
});

test('the config check reports a rendered config that telegate would refuse', async () => {
  const result = render(spec(), { runtime: 'telegate', operator: false, existing: NO_EXISTING, generate: () => 'pw' });
  const gateway = result.collectors[0];
  assert.ok(gateway !== undefined);
  const broken = { ...gateway, config: { ...gateway.config, processors: { batchh: {} } } };
  const [check] = await checkConfigs([broken]);
  assert.ok(check?.issues.some((i) => i.severity === 'error'));
  const noFile = { ...gateway, files: new Map<string, string>() };
  const [missing] = await checkConfigs([noFile]);
  assert.match(JSON.stringify(missing?.issues), /cannot read htpasswd file/);
});

test("the edge queues on the node's disk and batches there; the gateway answers end to end", () => {
  for (const runtime of ['telegate', 'otelcol-contrib'] as const) {
    const result = render(spec(), { runtime, operator: false, existing: NO_EXISTING, generate: () => 'pw' });
    const [gateway, edge] = result.collectors.map((c) => JSON.parse(JSON.stringify(c.config)) as Cfg);
    assert.ok(gateway !== undefined && edge !== undefined);
    const edgeQueue = edge.exporters['otlp']?.['sending_queue'] as Record<string, unknown>;
    assert.equal(edgeQueue['storage'], 'file_storage/queue');
    assert.ok(edgeQueue['batch'] !== undefined);
    assert.ok(edge.service.extensions.includes('file_storage/queue'));
    const dir = (edge.extensions['file_storage/queue'] as Record<string, unknown>)['directory'];
    assert.deepEqual(edge.service.pipelines['traces']?.processors, ['memory_limiter', 'k8sattributes', 'resource']);
    const gwQueue = gateway.exporters['otlp/backend']?.['sending_queue'] as Record<string, unknown>;
    assert.equal(gwQueue['wait_for_result'], true);
    assert.ok(gwQueue['batch'] !== undefined);
    assert.deepEqual(gateway.service.pipelines['traces']?.processors, ['memory_limiter', 'resource/origin']);
    // The DaemonSet mounts the node directory where the config keeps its queue, made writable first.
    const ds = result.files.flatMap((f) => f.objects).find((o) => o['kind'] === 'DaemonSet');
    const pod = JSON.stringify(ds);
    assert.match(pod, /"hostPath":\{"path":"\/var\/lib\/telegate\/telemetry-edge","type":"DirectoryOrCreate"\}/);
    assert.ok(pod.includes(`"mountPath":"${String(dir)}"`));
    assert.match(pod, /"command":\["chown","10001:10001","\/var\/lib\/telegate\/queue"\]/);
  }
});

interface Cfg {
  extensions: Record<string, unknown>;
  exporters: Record<string, Record<string, unknown> | undefined>;
  service: { extensions: string[]; pipelines: Record<string, { processors: string[] } | undefined> };
}
