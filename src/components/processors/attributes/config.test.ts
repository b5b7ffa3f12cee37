import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { RecordingConsumer, testSettings } from '../../../../test/helpers/fakes.ts';
import { loadConfig, registryOf } from '../../../config/load-config.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { BUILTIN_FACTORIES } from '../../builtin.ts';
import type { AttributesConfig } from './config.ts';
import { attributesFactory } from './factory.ts';
import { formatFloatF } from './attribute-matcher.ts';
import { severityNumberOf } from './severity.ts';

const INVALID = fileURLToPath(new URL('./testdata/invalid.yaml', import.meta.url));
const P = 'processors.attributes';

/** Every problem of testdata/invalid.yaml: [YAML path, line, message]. */
const EXPECTED: [string, number, RegExp][] = [
  [`${P}/no-actions.actions`, 7, /^missing required field "actions"$/],
  [`${P}/bad-actions.actions[0]`, 10, /multiple value sources being set at the 0-th actions/],
  [`${P}/bad-actions.actions[1]`, 14, /Field "pattern" has invalid pattern: "\(" to be set at the 1-th actions/],
  [`${P}/bad-actions.actions[2]`, 16, /invalid value "bool" in field "converted_type" for action "convert"/],
  [`${P}/bad-actions.actions[3]`, 19, /missing required field "key" at the 3-th actions/],
  [
    `${P}/bad-match.include.services`,
    24,
    /^error creating service name filters: unrecognized match_type: 'fuzzy', valid types are: \[regexp strict\]$/,
  ],
  [`${P}/bad-match.exclude.span_names`, 27, /^error creating span name filters: error parsing regexp: .*`GET \(`/],
  [
    `${P}/bad-attrs.include.attributes`,
    33,
    /^error creating attribute filters: match_type=regexp for "n" only supports Str, but found Int$/,
  ],
  [`${P}/bad-attrs.exclude.span_kinds`, 37, /^span_kinds string must match one of the standard span kinds/],
];

test('config problems are reported with YAML path, line and Go message', async () => {
  const { config, issues } = await loadConfig({
    configs: [INVALID],
    sets: [],
    env: {},
    registry: registryOf(BUILTIN_FACTORIES),
  });
  assert.equal(config, undefined);
  const got = issues.filter((i) => i.path.startsWith(P));
  assert.equal(got.length, EXPECTED.length, got.map((i) => `${i.path}: ${i.message}`).join('\n'));
  EXPECTED.forEach(([path, line, message], i) => {
    const issue = got[i];
    assert.ok(issue !== undefined);
    assert.equal(issue.path, path);
    assert.equal(issue.source?.line, line, path);
    assert.match(issue.message, message);
    assert.equal(issue.code, 'TG_CONFIG_COMPONENT_INVALID');
  });
});

const create = (cfg: AttributesConfig, signal: Signal) =>
  attributesFactory.create(testSettings('processor', 'attributes/x'), cfg, signal, new RecordingConsumer());
const del = [{ key: 'k', action: 'delete' }];

/** Go's per-signal rules (ValidateForSpans / ValidateForLogs), checked when a pipeline creates it. */
const SIGNAL_ERRORS: [string, Signal, AttributesConfig, RegExp | null][] = [
  [
    'log fields on spans',
    'traces',
    { include: { match_type: 'strict', log_bodies: ['x'] }, actions: del },
    /include.log_bodies: log_bodies should not be specified for trace spans/,
  ],
  [
    'severity texts on spans',
    'traces',
    { exclude: { match_type: 'strict', log_severity_texts: ['x'] }, actions: del },
    /exclude.log_severity_texts: log_severity_texts should not be specified/,
  ],
  [
    'severity number on spans',
    'traces',
    { include: { log_severity_number: { min: 9 } }, actions: del },
    /log_severity_number should not be specified/,
  ],
  [
    'nothing to match on spans',
    'traces',
    { include: { match_type: 'strict', metric_names: ['m'] }, actions: del },
    /at least one of "attributes", "libraries", {2}or "resources" field must be specified/,
  ],
  [
    'span fields on logs',
    'logs',
    { include: { match_type: 'strict', services: ['a'] }, actions: del },
    /services, span_names, and span_kinds are not valid for log records/,
  ],
  [
    'nothing to match on logs',
    'logs',
    { include: { match_type: 'strict' }, actions: del },
    /at least one of "attributes", "libraries", "span_kinds", "resources", "log_bodies"/,
  ],
  [
    'metric names on metrics',
    'metrics',
    { include: { match_type: 'regexp', metric_names: ['^http'] }, actions: del },
    null,
  ],
  [
    'span fields are ignored on metrics',
    'metrics',
    { include: { match_type: 'strict', services: ['a'] }, actions: del },
    null,
  ],
  [
    'log fields on logs',
    'logs',
    { include: { match_type: 'strict', log_severity_number: { min: 'WARN' } }, actions: del },
    null,
  ],
  [
    'bad severity name',
    'logs',
    { include: { log_severity_number: { min: 'LOUD' } }, actions: del },
    /include.log_severity_number.min: invalid log severity number "LOUD"/,
  ],
  ['bad action', 'traces', { actions: [{ key: 'k', action: 'nope' }] }, /unsupported action "nope"/],
];

for (const [name, signal, cfg, error] of SIGNAL_ERRORS) {
  test(`create for ${signal}: ${name}`, () => {
    if (error === null) create(cfg, signal);
    else
      assert.throws(
        () => create(cfg, signal),
        (err: Error & { code?: string }) => {
          assert.match(err.message, /^error creating "attributes\/x" processor: /);
          assert.match(err.message, error);
          assert.equal(err.code, 'TG_CONFIG_INVALID');
          return true;
        },
      );
  });
}

test('severity names read as plog.SeverityNumber', () => {
  assert.deepEqual(
    ['TRACE', 'debug', 'INFO', 'info4', 'WARN2', 'ERROR', 'FATAL4', 'UNSPECIFIED', 7].map(severityNumberOf),
    [1, 5, 9, 12, 14, 17, 24, 0, 7],
  );
  assert.equal(typeof severityNumberOf(25), 'string');
  assert.equal(typeof severityNumberOf('WARN5'), 'string');
});

test("a double is matched by regexp in Go's 'f' format (no exponent)", () => {
  assert.deepEqual([1.5, 1e21, 1.5e21, 1e-7, -2.5e-7, 3, NaN, Infinity, -Infinity].map(formatFloatF), [
    '1.5',
    '1000000000000000000000',
    '1500000000000000000000',
    '0.0000001',
    '-0.00000025',
    '3',
    'NaN',
    '+Inf',
    '-Inf',
  ]);
});
