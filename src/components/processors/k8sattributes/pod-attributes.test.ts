// Pod tags as Go's extractPodAttributes: owners (Deployment via the ReplicaSet's owner, CronJob from
// its Job's name), images split into name and tag, container tags by name and id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podObject } from '../../../../test/helpers/kube-api-server.ts';
import { parseImage, podOf } from './kube-objects.ts';
import { containerTags, podTags } from './pod-attributes.ts';
import { compileRules } from './rules.ts';
import { k8sConfig } from './test-support.ts';

const rules = (metadata: string[]) => compileRules(k8sConfig({ extract: { metadata } }));
const tagsOf = (kv: readonly { key: string; value: { type: string; value?: unknown } }[]) =>
  Object.fromEntries(kv.map((t) => [t.key, t.value.value]));

test('the deployment comes from the ReplicaSet index, not from the ReplicaSet name', () => {
  const pod = podOf(
    podObject({ name: 'p', ip: '1.1.1.1', node: 'n', owner: { kind: 'ReplicaSet', name: 'web-abc', uid: 'rs1' } }),
  );
  const r = rules(['k8s.deployment.name', 'k8s.replicaset.name']);
  assert.deepEqual(tagsOf(podTags(pod, r, () => undefined)), { 'k8s.replicaset.name': 'web-abc' });
  assert.deepEqual(tagsOf(podTags(pod, r, (uid) => (uid === 'rs1' ? { name: 'frontend', uid: 'd1' } : undefined))), {
    'k8s.replicaset.name': 'web-abc',
    'k8s.deployment.name': 'frontend',
  });
});

test('jobs, cronjobs, statefulsets and daemonsets by owner kind', () => {
  const r = rules(['k8s.job.name', 'k8s.cronjob.name', 'k8s.statefulset.name', 'k8s.daemonset.name']);
  const job = podOf(
    podObject({ name: 'p', ip: '', node: 'n', owner: { kind: 'Job', name: 'backup-28912345', uid: 'j' } }),
  );
  assert.deepEqual(tagsOf(podTags(job, r, () => undefined)), {
    'k8s.job.name': 'backup-28912345',
    'k8s.cronjob.name': 'backup',
  });
  const sts = podOf(podObject({ name: 'p', ip: '', node: 'n', owner: { kind: 'StatefulSet', name: 'db', uid: 's' } }));
  assert.deepEqual(tagsOf(podTags(sts, r, () => undefined)), { 'k8s.statefulset.name': 'db' });
});

test('images: registry with port, tag, digest, no tag', () => {
  assert.deepEqual(parseImage('ghcr.io/acme/app:1.2.3'), { name: 'ghcr.io/acme/app', tag: '1.2.3' });
  assert.deepEqual(parseImage('registry:5000/app'), { name: 'registry:5000/app', tag: 'latest' });
  assert.deepEqual(parseImage('app@sha256:abc'), { name: 'app', tag: '' });
  assert.deepEqual(parseImage('app:2@sha256:abc'), { name: 'app', tag: '2' });
});

test('container tags by name and by id (the runtime scheme stripped)', () => {
  const o = podObject({ name: 'p', ip: '', node: 'n', containers: [{ name: 'app', image: 'nginx:1.27' }] });
  (o['status'] as Record<string, unknown>)['containerStatuses'] = [{ name: 'app', containerID: 'containerd://c0ffee' }];
  const c = containerTags(podOf(o), rules(['container.image.name', 'container.image.tag', 'container.id']));
  assert.deepEqual(tagsOf(c?.byName.get('app')?.tags ?? []), {
    'container.image.name': 'nginx',
    'container.image.tag': '1.27',
    'container.id': 'c0ffee',
  });
  assert.equal(c?.byId.get('c0ffee')?.name, 'app');
  assert.equal(containerTags(podOf(o), rules(['k8s.pod.name'])), undefined);
});
