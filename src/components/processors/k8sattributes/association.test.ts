// Pod association as Go's pod_association.go: the key of a Resource under the configured sources,
// Go's default order, and the pod side keys (getIdentifiersFromAssoc).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyValue } from '../../../pdata/attributes.ts';
import { identifierOfResource, identifiersOfPod, ipOfAddress } from './association.ts';
import { podOf } from './kube-objects.ts';
import { stringKv } from './pod-attributes.ts';
import { podObject } from '../../../../test/helpers/kube-api-server.ts';

const kvs = (o: Record<string, string>): KeyValue[] => Object.entries(o).map(([k, v]) => stringKv(k, v));

test('client addresses: host:port, [v6]:port, IPv4-mapped IPv6; anything else is no IP', () => {
  for (const [addr, ip] of [
    ['10.0.0.5:4317', '10.0.0.5'],
    ['[fd00::5]:4317', 'fd00::5'],
    ['[::ffff:10.0.0.5]:1', '10.0.0.5'],
    ['::1', '::1'],
    ['localhost:4317', ''],
    [undefined, ''],
  ] as const)
    assert.equal(ipOfAddress(addr), ip, String(addr));
});

test("Go's default association: k8s.pod.ip, then ip, then the connection, then an IP host.name", () => {
  const cases: [Record<string, string>, string, string][] = [
    [{ 'k8s.pod.ip': '1.1.1.1', ip: '2.2.2.2' }, '3.3.3.3', '1.1.1.1'],
    [{ ip: '2.2.2.2' }, '3.3.3.3', '2.2.2.2'],
    [{ 'host.name': '4.4.4.4' }, '3.3.3.3', '3.3.3.3'],
    [{ 'host.name': '4.4.4.4' }, '', '4.4.4.4'],
    [{ 'host.name': 'web-1' }, '', ''],
  ];
  for (const [attrs, client, ip] of cases) {
    const id = identifierOfResource(kvs(attrs), client, []);
    assert.equal(id.connectionIp, ip, JSON.stringify(attrs));
    assert.equal(id.key === '', ip === '');
  }
});

test('configured associations: the first whose sources all resolve wins; keys match the pod side', () => {
  const pod = podOf(podObject({ name: 'web-1', namespace: 'shop', uid: 'u1', ip: '10.0.0.5', node: 'n' }));
  const assoc = [
    [
      { from: 'resource_attribute', name: 'k8s.pod.name' },
      { from: 'resource_attribute', name: 'k8s.namespace.name' },
    ],
    [{ from: 'connection', name: '' }],
  ] as const;
  const podKeys = identifiersOfPod(pod, assoc);
  const byName = identifierOfResource(kvs({ 'k8s.pod.name': 'web-1', 'k8s.namespace.name': 'shop' }), '9.9.9.9', assoc);
  assert.ok(podKeys.includes(byName.key));
  assert.equal(byName.connectionIp, '', 'not from the connection: k8s.pod.ip is not stamped');
  const byConnection = identifierOfResource(kvs({ 'k8s.pod.name': 'web-1' }), '10.0.0.5', assoc);
  assert.ok(podKeys.includes(byConnection.key));
  assert.equal(byConnection.connectionIp, '10.0.0.5');
});

test('a host-network pod is never found by IP (all of them share the node IP)', () => {
  const pod = podOf(podObject({ name: 'agent', uid: 'u2', ip: '10.0.0.1', node: 'n', hostNetwork: true }));
  const keys = identifiersOfPod(pod, []);
  assert.ok(!keys.includes(identifierOfResource([], '10.0.0.1', []).key));
  assert.ok(
    keys.includes(
      identifierOfResource(kvs({ 'k8s.pod.uid': 'u2' }), '', [[{ from: 'resource_attribute', name: 'k8s.pod.uid' }]])
        .key,
    ),
  );
});
