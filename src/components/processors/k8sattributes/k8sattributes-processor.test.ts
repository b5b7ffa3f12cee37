// The processor against a real HTTP peer that speaks the Kubernetes list/watch API
// (test/helpers/kube-api-server.ts), through @kubernetes/client-node.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubeApiServer, podObject, replicaSetObject } from '../../../../test/helpers/kube-api-server.ts';
import { RecordingConsumer, testSettings } from '../../../../test/helpers/fakes.ts';
import { decodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import type { K8sAttributesOptions, K8sAttributesProcessor } from './k8sattributes-processor.ts';
import { k8sProcessor, tracesRequest } from './test-support.ts';

let api: KubeApiServer;
let env: NodeJS.ProcessEnv;

before(async () => {
  api = new KubeApiServer();
  await api.start();
  env = { KUBECONFIG: api.writeKubeconfig(), KUBE_NODE_NAME: 'node-a' };
  api.put('replicasets', replicaSetObject('shop-7d9f8c6b5', 'shop'));
  api.put(
    'pods',
    podObject({
      name: 'shop-7d9f8c6b5-x1',
      ip: '10.0.0.5',
      node: 'node-a',
      owner: { kind: 'ReplicaSet', name: 'shop-7d9f8c6b5', uid: 'uid-rs-shop-7d9f8c6b5' },
      labels: { app: 'shop', 'app.kubernetes.io/version': '1.2' },
    }),
  );
  api.put('pods', podObject({ name: 'other', ip: '10.0.0.9', node: 'node-b' }));
  api.put('namespaces', { metadata: { name: 'default', labels: { team: 'checkout' } } });
});

after(async () => {
  await api.stop();
});

function resources(next: RecordingConsumer, i = -1): Record<string, string>[] {
  const p = next.payloads.at(i);
  assert.ok(p, 'a payload arrived');
  const out = decodeRequest('traces', p.bytes);
  return (
    out.resourceSpans as { resource?: { attributes?: { key: string; value: { stringValue?: string } }[] } }[]
  ).map((rs) => Object.fromEntries((rs.resource?.attributes ?? []).map((a) => [a.key, a.value.stringValue ?? ''])));
}

async function send(p: K8sAttributesProcessor, attrs: Record<string, string>, client?: string): Promise<void> {
  const r = await p.consume({
    signal: 'traces',
    bytes: tracesRequest([attrs]),
    items: 1,
    context: client === undefined ? {} : { clientAddress: client },
  });
  assert.equal(r.status, 'success');
}

async function started(raw: Record<string, unknown>, over: Partial<K8sAttributesOptions> = {}) {
  const settings = testSettings('processor', 'k8sattributes');
  const next = new RecordingConsumer();
  const p = k8sProcessor(settings, raw, next, env, over);
  await p.start();
  return { p, next, settings };
}

describe('k8sattributes against a fake API server', () => {
  test('default association: the connection address finds the pod; deployment via the ReplicaSet owner', async () => {
    const { p, next } = await started({ filter: { node_from_env_var: 'KUBE_NODE_NAME' } });
    await send(p, { 'service.name': 'shop' }, '10.0.0.5:43512');
    assert.deepEqual(resources(next)[0], {
      'service.name': 'shop',
      'k8s.pod.ip': '10.0.0.5',
      'k8s.pod.name': 'shop-7d9f8c6b5-x1',
      'k8s.namespace.name': 'default',
      'k8s.pod.start_time': '2026-12-04T10:00:00Z',
      'k8s.pod.uid': 'uid-shop-7d9f8c6b5-x1',
      'k8s.deployment.name': 'shop',
      'k8s.node.name': 'node-a',
    });
    await p.shutdown();
  });

  test('the node filter is sent as fieldSelector=spec.nodeName and other nodes are not indexed', async () => {
    const { p, next } = await started({ filter: { node_from_env_var: 'KUBE_NODE_NAME' } });
    assert.ok(
      api.requests.some((r) => r.resource === 'pods' && r.query.get('fieldSelector') === 'spec.nodeName=node-a'),
    );
    await send(p, {}, '10.0.0.9:1000');
    assert.deepEqual(resources(next)[0], { 'k8s.pod.ip': '10.0.0.9' });
    await p.shutdown();
  });

  test('attributes already present are not overwritten; unknown pods pass untagged and are counted', async () => {
    const { p, next, settings } = await started({});
    await send(p, { 'k8s.pod.ip': '10.0.0.5', 'k8s.namespace.name': 'mine' });
    assert.equal(resources(next)[0]?.['k8s.namespace.name'], 'mine');
    assert.equal(resources(next)[0]?.['k8s.pod.name'], 'shop-7d9f8c6b5-x1');
    await send(p, { 'service.name': 'x' }, '10.9.9.9:1');
    assert.deepEqual(resources(next)[0], { 'service.name': 'x', 'k8s.pod.ip': '10.9.9.9' });
    assert.equal(settings.telemetry.get('otelcol_otelsvc_k8s_ip_lookup_miss', { processor: 'k8sattributes' }), 1);
    await p.shutdown();
  });

  test('association by resource_attribute k8s.pod.uid', async () => {
    const { p, next } = await started({
      pod_association: [{ sources: [{ from: 'resource_attribute', name: 'k8s.pod.uid' }] }],
    });
    await send(p, { 'k8s.pod.uid': 'uid-other' }, '10.0.0.5:1');
    const r = resources(next)[0];
    assert.equal(r?.['k8s.pod.name'], 'other');
    assert.equal(r['k8s.pod.ip'], undefined, 'no connection source: the address is not stamped');
    await p.shutdown();
  });

  test('association by connection only ignores a k8s.pod.ip attribute', async () => {
    const { p, next } = await started({ pod_association: [{ sources: [{ from: 'connection' }] }] });
    await send(p, { 'k8s.pod.ip': '10.0.0.9' }, '10.0.0.5:1');
    assert.equal(resources(next)[0]?.['k8s.pod.name'], 'shop-7d9f8c6b5-x1');
    await p.shutdown();
  });

  test('labels (key and key_regex) and namespace labels by rule', async () => {
    const { p, next } = await started({
      extract: {
        metadata: ['k8s.pod.name'],
        labels: [
          { key: 'app' },
          { tag_name: 'v.$1', key_regex: 'app\\.kubernetes\\.io/(.*)' },
          { key: 'team', from: 'namespace', tag_name: 'team' },
        ],
      },
    });
    await send(p, { 'k8s.namespace.name': 'default' }, '10.0.0.5:1');
    assert.deepEqual(resources(next)[0], {
      'k8s.namespace.name': 'default',
      'k8s.pod.ip': '10.0.0.5',
      'k8s.pod.name': 'shop-7d9f8c6b5-x1',
      'k8s.pod.labels.app': 'shop',
      'v.version': '1.2',
      team: 'checkout',
    });
    await p.shutdown();
  });

  test('passthrough stamps only the connection address and needs no API server', async () => {
    const settings = testSettings('processor', 'k8sattributes');
    const next = new RecordingConsumer();
    const p = k8sProcessor(settings, { passthrough: true, auth_type: 'serviceAccount' }, next, {});
    await p.start();
    await send(p, {}, '[::ffff:10.0.0.5]:1');
    assert.deepEqual(resources(next)[0], { 'k8s.pod.ip': '10.0.0.5' });
    await p.shutdown();
  });
});

describe('k8sattributes keeps its view of the cluster', () => {
  test('watch events add and delete pods; a 410 Gone forces a relist; a dropped watch is reopened', async () => {
    const { p, next } = await started({ filter: { node: 'node-a' } });
    api.put('pods', podObject({ name: 'late', ip: '10.0.1.1', node: 'node-a' }));
    await waitFor(async () => (await tagged(p, next, '10.0.1.1')) === 'late');

    const lists = () => api.requests.filter((r) => r.resource === 'pods' && !r.watch).length;
    const before410 = lists();
    api.expireWatches();
    api.put('pods', podObject({ name: 'after-gone', ip: '10.0.1.2', node: 'node-a' }));
    await waitFor(async () => (await tagged(p, next, '10.0.1.2')) === 'after-gone');
    assert.ok(lists() > before410, 'relisted after 410 Gone');

    // A dropped connection ends in an error (relist) or a clean close (watch again from the last
    // version, as client-go does; a compacted version then gets the 410 above): either way, new requests.
    const requests = () => api.requests.filter((r) => r.resource === 'pods').length;
    await waitFor(() => Promise.resolve(api.openWatches('pods') === 1));
    const beforeDrop = requests();
    api.dropWatches();
    api.put('pods', podObject({ name: 'after-drop', ip: '10.0.1.3', node: 'node-a' }));
    await waitFor(async () => (await tagged(p, next, '10.0.1.3')) === 'after-drop');
    assert.ok(requests() > beforeDrop, 'reconnected after the dropped watch');

    api.put('pods', podObject({ name: 'late', ip: '10.0.1.1', node: 'node-a', labels: { v: '2' } }));
    api.delete('pods', 'after-drop', 'default');
    api.delete('pods', 'after-gone', 'default');
    api.delete('pods', 'late', 'default');
    await p.shutdown();
  });

  test('a deleted pod whose IP is taken by a new pod: the new pod wins at once', async () => {
    const { p, next } = await started({}, { deleteGraceMs: 60_000 });
    api.put('pods', podObject({ name: 'web-1', ip: '10.0.2.1', node: 'node-a' }));
    await waitFor(async () => (await tagged(p, next, '10.0.2.1')) === 'web-1');
    api.delete('pods', 'web-1', 'default');
    assert.equal(await tagged(p, next, '10.0.2.1'), 'web-1', 'kept during the grace period');
    api.put('pods', podObject({ name: 'web-2', ip: '10.0.2.1', node: 'node-a' }));
    await waitFor(async () => (await tagged(p, next, '10.0.2.1')) === 'web-2');
    api.delete('pods', 'web-2', 'default');
    await p.shutdown();
  });

  test('a 403 at start is a clear error naming the rule and the ServiceAccount', async () => {
    api.forbid('replicasets');
    try {
      const settings = testSettings('processor', 'k8sattributes');
      const p = k8sProcessor(settings, {}, new RecordingConsumer(), env);
      await assert.rejects(p.start(), (err: unknown) => {
        assert.ok(err instanceof TelegateError && err.code === 'TG_START_FAILED');
        assert.match(err.message, /refused to list replicasets \(403 Forbidden\)/);
        assert.match(err.message, /ServiceAccount "attributes-account" in namespace "telemetry"/);
        assert.match(
          err.message,
          /apiGroups: \["apps"\], resources: \["replicasets"\], verbs: \["get", "list", "watch"\]/,
        );
        return true;
      });
      await p.shutdown();
    } finally {
      api.forbid('replicasets', false);
    }
  });

  test('an unreachable API server: start succeeds, data flows untagged, the failure is logged once', async () => {
    const down = new KubeApiServer();
    await down.start();
    const kubeconfig = down.writeKubeconfig();
    await down.stop();
    const settings = testSettings('processor', 'k8sattributes');
    const next = new RecordingConsumer();
    const p = k8sProcessor(settings, {}, next, { KUBECONFIG: kubeconfig }, { startWaitMs: 300 });
    await p.start();
    await send(p, {}, '10.0.0.5:1');
    assert.deepEqual(resources(next)[0], { 'k8s.pod.ip': '10.0.0.5' });
    await waitFor(() => Promise.resolve(settings.logger.lines.filter((l) => l.level === 'warn').length > 0));
    await new Promise((r) => setTimeout(r, 200)); // several backoff rounds of 20–200 ms
    const warns = settings.logger.lines.filter((l) => l.level === 'warn' && l.fields['resource'] === 'pods');
    assert.equal(warns.length, 1, 'one line per state change, not per retry');
    assert.match(String(warns[0]?.fields['error']), /ECONNREFUSED/);
    await p.shutdown();
  });
});

async function tagged(p: K8sAttributesProcessor, next: RecordingConsumer, ip: string): Promise<string | undefined> {
  await send(p, {}, `${ip}:1`);
  return resources(next)[0]?.['k8s.pod.name'];
}

// Polls a condition that becomes true once a watch event has been applied (bounded: 200 × 10 ms).
async function waitFor(cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('condition not met');
}
