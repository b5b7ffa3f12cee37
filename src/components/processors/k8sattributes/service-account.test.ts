// auth_type serviceAccount as a pod runs it: KUBERNETES_SERVICE_HOST/PORT, the mounted token and CA,
// against a fake API server that speaks HTTPS with a certificate from that CA and answers 401
// without the token — a real TLS peer for @kubernetes/client-node, not a mock.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApiServer, podObject } from '../../../../test/helpers/kube-api-server.ts';
import { RecordingConsumer, testSettings } from '../../../../test/helpers/fakes.ts';
import { decodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import { makeCa } from '../../../../test/helpers/tls.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { K8sAttributesProcessor } from './k8sattributes-processor.ts';
import { fastOptions, k8sConfig, tracesRequest } from './test-support.ts';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.sa-token.sig';
let api: KubeApiServer;
let caFile: Buffer;

before(async () => {
  const ca = makeCa();
  caFile = ca.cert;
  const serving = ca.issue('api', { cn: 'kubernetes', san: 'IP:127.0.0.1' });
  api = new KubeApiServer({ tls: { key: serving.key, cert: serving.cert }, token: TOKEN });
  await api.start();
  api.put('pods', podObject({ name: 'web-1', ip: '10.1.0.7', node: 'node-a' }));
});

after(async () => {
  await api.stop();
});

/** A ServiceAccount mount as the kubelet writes it. */
function mount(files: { token?: string; ca?: Buffer }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tg-sa-'));
  if (files.token !== undefined) writeFileSync(join(dir, 'token'), files.token);
  if (files.ca !== undefined) writeFileSync(join(dir, 'ca.crt'), files.ca);
  writeFileSync(join(dir, 'namespace'), 'telemetry');
  return dir;
}

function processor(dir: string, next = new RecordingConsumer()): K8sAttributesProcessor {
  const env = {
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: String(api.port()),
    KUBE_NODE_NAME: 'node-a',
  };
  const config = k8sConfig({ filter: { node_from_env_var: 'KUBE_NODE_NAME' } });
  assert.equal(config.auth_type, 'serviceAccount', "Go's default");
  return new K8sAttributesProcessor(
    testSettings('processor', 'k8sattributes'),
    config,
    next,
    fastOptions(env, { serviceAccountDir: dir }),
  );
}

describe('auth_type serviceAccount (in-cluster)', () => {
  test('https to KUBERNETES_SERVICE_HOST:PORT, the server verified with ca.crt, the token sent as a bearer', async () => {
    const next = new RecordingConsumer();
    const p = processor(mount({ token: TOKEN, ca: caFile }), next);
    await p.start();
    try {
      const r = await p.consume({
        signal: 'traces',
        bytes: tracesRequest([{ 'service.name': 'web' }]),
        items: 1,
        context: { clientAddress: '10.1.0.7:5555' },
      });
      assert.equal(r.status, 'success');
      const out = decodeRequest('traces', next.payloads[0]?.bytes ?? Buffer.alloc(0)) as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue: string } }[] } }[];
      };
      const attrs = Object.fromEntries(
        out.resourceSpans[0]?.resource.attributes.map((a) => [a.key, a.value.stringValue]) ?? [],
      );
      assert.equal(attrs['k8s.pod.name'], 'web-1');
      assert.ok(api.authorizations.length > 0);
      for (const a of api.authorizations) assert.equal(a, `Bearer ${TOKEN}`);
    } finally {
      await p.shutdown();
    }
  });

  test('a mount without a token is a start error naming the file', async () => {
    const dir = mount({ ca: caFile });
    const p = processor(dir);
    await assert.rejects(
      () => p.start(),
      (err: unknown) =>
        err instanceof TelegateError && err.code === 'TG_START_FAILED' && err.message.includes(join(dir, 'token')),
    );
    await p.shutdown();
  });

  test('a server whose certificate the mounted CA did not sign is never trusted: the pod stays unknown', async () => {
    const seen = api.authorizations.length;
    const next = new RecordingConsumer();
    const p = processor(mount({ token: TOKEN, ca: makeCa().cert }), next);
    await p.start();
    try {
      await p.consume({
        signal: 'traces',
        bytes: tracesRequest([{}]),
        items: 1,
        context: { clientAddress: '10.1.0.7:5555' },
      });
      const out = decodeRequest('traces', next.payloads[0]?.bytes ?? Buffer.alloc(0)) as {
        resourceSpans: { resource: { attributes: { key: string }[] } }[];
      };
      assert.deepEqual(
        out.resourceSpans[0]?.resource.attributes.map((a) => a.key),
        ['k8s.pod.ip'],
      );
      assert.equal(api.authorizations.length, seen, 'the token never reached an unverified server');
    } finally {
      await p.shutdown();
    }
  });
});
