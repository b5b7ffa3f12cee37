// The pod index: bounded (pods beyond maxPods are counted, not indexed), deleted pods kept for the
// grace period unless a newer pod takes their IP, an older pod never takes an IP back, excluded pods
// never found, and a relist deletes the pods it no longer lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podObject } from '../../../../test/helpers/kube-api-server.ts';
import { identifierOfResource } from './association.ts';
import { MetadataStore } from './metadata-store.ts';
import { compileRules } from './rules.ts';
import { k8sConfig } from './test-support.ts';

function store(over: { maxPods?: number; deleteGraceMs?: number } = {}) {
  const clock = { now: 0 };
  const s = new MetadataStore(compileRules(k8sConfig({})), {
    maxPods: over.maxPods ?? 100,
    deleteGraceMs: over.deleteGraceMs ?? 1000,
    now: () => clock.now,
  });
  const nameAt = (ip: string) => s.pod(identifierOfResource([], ip, []).key)?.fields.meta.name;
  return { s, clock, nameAt };
}

test('pods beyond maxPods are not indexed and are counted', () => {
  const { s, nameAt } = store({ maxPods: 2 });
  for (let i = 1; i <= 3; i++) s.upsertPod(podObject({ name: `p${i}`, ip: `10.0.0.${i}`, node: 'n' }));
  assert.equal(s.podsByUid.size, 2);
  assert.equal(s.droppedPods, 1);
  assert.equal(nameAt('10.0.0.3'), undefined);
  s.upsertPod(podObject({ name: 'p1', ip: '10.0.0.1', node: 'n', labels: { v: '2' } }));
  assert.equal(s.droppedPods, 1, 'an update of an indexed pod is not a new pod');
});

test('a deleted pod stays findable for the grace period, then is gone', () => {
  const { s, clock, nameAt } = store({ deleteGraceMs: 1000 });
  s.upsertPod(podObject({ name: 'web', ip: '10.0.0.1', node: 'n' }));
  s.deletePod(podObject({ name: 'web', ip: '10.0.0.1', node: 'n' }));
  assert.equal(nameAt('10.0.0.1'), 'web');
  clock.now = 1000;
  s.expire();
  assert.equal(nameAt('10.0.0.1'), undefined);
});

test('a newer pod takes a deleted pod IP at once, and the old deletion does not remove it', () => {
  const { s, clock, nameAt } = store();
  s.upsertPod(podObject({ name: 'old', ip: '10.0.0.1', node: 'n' }));
  s.deletePod(podObject({ name: 'old', ip: '10.0.0.1', node: 'n' }));
  s.upsertPod(podObject({ name: 'new', ip: '10.0.0.1', node: 'n' }));
  assert.equal(nameAt('10.0.0.1'), 'new');
  clock.now = 5000;
  s.expire();
  assert.equal(nameAt('10.0.0.1'), 'new');
});

test('a pod that started earlier does not take back an IP held by a newer pod', () => {
  const { s, nameAt } = store();
  const newer = podObject({ name: 'newer', ip: '10.0.0.1', node: 'n' });
  (newer['status'] as Record<string, unknown>)['startTime'] = '2026-12-04T11:00:00Z';
  s.upsertPod(newer);
  s.upsertPod(podObject({ name: 'older', ip: '10.0.0.1', node: 'n' }));
  assert.equal(nameAt('10.0.0.1'), 'newer');
});

test("excluded pods (Go's default: jaeger-agent, jaeger-collector) are never found", () => {
  const { s, nameAt } = store();
  s.upsertPod(podObject({ name: 'jaeger-agent', ip: '10.0.0.7', node: 'n' }));
  assert.equal(nameAt('10.0.0.7'), undefined);
});

test('a relist deletes the pods it no longer lists', () => {
  const { s, clock, nameAt } = store({ deleteGraceMs: 0 });
  s.upsertPod(podObject({ name: 'a', ip: '10.0.0.1', node: 'n' }));
  s.upsertPod(podObject({ name: 'b', ip: '10.0.0.2', node: 'n' }));
  clock.now = 1;
  s.replacePods([podObject({ name: 'b', ip: '10.0.0.2', node: 'n' })]);
  assert.equal(nameAt('10.0.0.1'), undefined);
  assert.equal(nameAt('10.0.0.2'), 'b');
});
