// Config cases from testdata/config.yaml (after Go's testdata): defaults, a full config, and each of
// Go's validation errors with its message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { k8sAttributesFactory } from './factory.ts';
import { DEFAULT_METADATA } from './config.ts';
import { compileRules } from './rules.ts';
import { k8sConfig } from './test-support.ts';

const cases = parse(readFileSync(new URL('testdata/config.yaml', import.meta.url), 'utf8')) as Record<
  string,
  Record<string, unknown> | null
>;
const problems = (id: string) => k8sAttributesFactory.validate?.(k8sConfig(cases[id] ?? {})) ?? [];

test("the default config is Go's: serviceAccount, its metadata, jaeger pods excluded", () => {
  const cfg = k8sConfig(cases['k8sattributes'] ?? {});
  assert.equal(cfg.auth_type, 'serviceAccount');
  assert.deepEqual(cfg.extract.metadata, DEFAULT_METADATA);
  assert.deepEqual(cfg.exclude.pods, [{ name: 'jaeger-agent' }, { name: 'jaeger-collector' }]);
  assert.deepEqual(problems('k8sattributes'), []);
});

test('the full config validates and compiles into selectors sent to the API server', () => {
  assert.deepEqual(problems('k8sattributes/2'), []);
  const rules = compileRules(k8sConfig(cases['k8sattributes/2'] ?? {}), { K8S_NODE: 'node-7' });
  assert.equal(rules.node, 'node-7', 'node_from_env_var wins over node');
  assert.equal(rules.fieldSelector, 'spec.nodeName=node-7,key1=value1,key2!=value2');
  assert.equal(rules.labelSelector, 'key1=value1,key2!=value2');
  assert.equal(rules.namespace, 'ns2');
  assert.equal(rules.associations.length, 4);
});

const ERRORS: [string, string, RegExp][] = [
  ['k8sattributes/too_many_sources', 'pod_association[0]', /too many association sources. limit is 4/],
  ['k8sattributes/bad_keys_labels', 'extract.labels[0]', /Out of Key or KeyRegex only one option/],
  ['k8sattributes/bad_from_labels', 'extract.labels[0].from', /unknown is not a valid choice for From/],
  ['k8sattributes/bad_keyregex_labels', 'extract.labels[0].key_regex', /./],
  ['k8sattributes/bad_metadata', 'extract.metadata[0]', /"k8s.pod.bad" is not a supported metadata field/],
  ['k8sattributes/bad_filter_label_op', 'filter.labels[0].op', /'unknown' is not a valid label filter operation/],
  ['k8sattributes/bad_filter_field_op', 'filter.fields[0].op', /'exists' is not a valid label filter operation/],
];

for (const [id, path, message] of ERRORS) {
  test(`${id}: refused at ${path}`, () => {
    const p = problems(id);
    assert.equal(p.length, 1, JSON.stringify(p));
    const [where, what] = p[0] ?? ['', ''];
    assert.equal(where, path);
    assert.match(what, message);
  });
}

test('validate notes the RBAC rules the extraction needs', () => {
  const notes = (raw: Record<string, unknown>) => (k8sAttributesFactory.notes?.(k8sConfig(raw)) ?? []).join('\n');
  assert.match(notes({}), /resources: \["pods"\][\s\S]*resources: \["replicasets"\]/);
  assert.doesNotMatch(notes({ extract: { metadata: ['k8s.pod.name'] } }), /replicasets/);
  assert.match(notes({ extract: { labels: [{ key: 'team', from: 'namespace' }] } }), /resources: \["namespaces"\]/);
  assert.match(notes({ extract: { labels: [{ key: 'zone', from: 'node' }] } }), /resources: \["nodes"\]/);
  assert.equal(notes({ passthrough: true }), '');
});
