// Table-driven tests of whole configs (testdata/*.yaml) against fake factories: each case lists
// exactly the issues expected, with severity, code, YAML path, line and message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './load-config.ts';
import { fakeRegistry } from './testdata/fake-factories.ts';
import type { ConfigIssue } from './issues.ts';
import { Secret } from '../util/secret.ts';

const dir = fileURLToPath(new URL('./testdata/', import.meta.url));

interface Expected {
  severity?: 'error' | 'warning';
  code: ConfigIssue['code'];
  path: string;
  line: number;
  message: RegExp;
  hint?: RegExp;
}

const e = (code: Expected['code'], path: string, line: number, message: RegExp, hint?: RegExp): Expected => ({
  code,
  path,
  line,
  message,
  ...(hint ? { hint } : {}),
});
const w = (code: Expected['code'], path: string, line: number, message: RegExp, hint?: RegExp): Expected => ({
  ...e(code, path, line, message, hint),
  severity: 'warning',
});

const cases: { file: string; valid: boolean; issues: Expected[] }[] = [
  { file: 'seed-gateway.yaml', valid: true, issues: [] },
  {
    file: 'seed-edge.yaml',
    valid: true,
    issues: [
      w(
        'TG_CONFIG_DEPRECATED',
        'exporters.logging',
        31,
        /exporter type `logging` is deprecated: use the `debug` exporter instead/,
      ),
      w(
        'TG_CONFIG_UNUSED',
        'processors.resource',
        14,
        /^processors\.resource is configured but not used by any pipeline; it has no effect$/,
        /add it to a pipeline's processors/i,
      ),
    ],
  },
  {
    file: 'unknown-key.yaml',
    valid: false,
    issues: [
      e(
        'TG_CONFIG_UNKNOWN_KEY',
        'receivers.otlp.protocols.grcp',
        4,
        /unknown key `grcp`; did you mean `grpc`\?/,
        /grpc, http/,
      ),
      e('TG_CONFIG_UNKNOWN_KEY', 'receivers.otlp.protocols.http.endpont', 7, /did you mean `endpoint`\?/),
    ],
  },
  {
    file: 'wrong-type.yaml',
    valid: false,
    issues: [
      e(
        'TG_CONFIG_TYPE',
        'receivers.otlp.protocols.grpc.endpoint',
        5,
        /expected a string, got the number 4317/,
        /Quote the value/,
      ),
      e(
        'TG_CONFIG_TYPE',
        'receivers.otlp.protocols.grpc.max_recv_msg_size_mib',
        6,
        /expected an integer, got the string "big"/,
      ),
      e('TG_CONFIG_TYPE', 'exporters.otlp.tls', 10, /expected a map, got a list/),
      e(
        'TG_CONFIG_VALUE',
        'exporters.otlp.compression',
        11,
        /"gzp" is not allowed; did you mean `gzip`\?/,
        /gzip, none, zstd/,
      ),
    ],
  },
  {
    file: 'units.yaml',
    valid: false,
    issues: [
      e('TG_CONFIG_VALUE', 'processors.batch.timeout', 6, /"5 seconds" is not a duration/, /200ms/),
      e('TG_CONFIG_VALUE', 'processors.batch.send_batch_max_size', 7, /"12 parsecs" is not a size/),
    ],
  },
  {
    file: 'unknown-type.yaml',
    valid: false,
    issues: [
      e(
        'TG_CONFIG_UNKNOWN_TYPE',
        'receivers.otlpp',
        2,
        /unknown receiver type `otlpp`; did you mean `otlp`\?/,
        /Known receivers: hostmetrics, otlp/,
      ),
      e('TG_CONFIG_WRONG_KIND', 'receivers.debug', 3, /`debug` is an exporter, not a receiver/, /under `exporters:`/),
      e('TG_CONFIG_UNKNOWN_TYPE', 'processors.bacth', 8, /did you mean `batch`\?/),
    ],
  },
  {
    file: 'bad-ids.yaml',
    valid: false,
    issues: [
      e('TG_CONFIG_COMPONENT_ID', 'receivers.otlp/', 2, /the part after \/ must not be empty/),
      e('TG_CONFIG_COMPONENT_ID', 'receivers.otlp/a b', 3, /invalid character\(s\) in name "a b"/),
      e('TG_CONFIG_COMPONENT_ID', 'receivers.9otlp', 4, /invalid character\(s\) in type "9otlp"/),
    ],
  },
  {
    file: 'pipelines.yaml',
    valid: false,
    issues: [
      e(
        'TG_CONFIG_UNDEFINED_REFERENCE',
        'service.extensions[1]',
        14,
        /references extension "pprof" which is not configured/,
        /health_check/,
      ),
      e(
        'TG_CONFIG_UNDEFINED_REFERENCE',
        'service.pipelines.traces.receivers[1]',
        17,
        /references receiver "otlp\/2" which is not configured; did you mean `otlp`\?/,
      ),
      e(
        'TG_CONFIG_SIGNAL_UNSUPPORTED',
        'service.pipelines.traces.receivers[2]',
        17,
        /receivers\.hostmetrics does not support traces \(`hostmetrics` supports metrics\)/,
      ),
      e(
        'TG_CONFIG_PIPELINE',
        'service.pipelines.traces.processors[1]',
        18,
        /references processor "batch" multiple times/,
      ),
      e(
        'TG_CONFIG_SIGNAL_UNSUPPORTED',
        'service.pipelines.traces.exporters[1]',
        19,
        /exporters\.prometheus does not support traces/,
      ),
      e(
        'TG_CONFIG_UNDEFINED_REFERENCE',
        'service.pipelines.traces.exporters[2]',
        19,
        /exporter "debg" which is not configured; did you mean `debug`\?/,
      ),
      e('TG_CONFIG_PIPELINE', 'service.pipelines.metrics.receivers', 20, /must have at least one receiver/),
      e('TG_CONFIG_PIPELINE', 'service.pipelines.logs.exporters', 22, /must have at least one exporter/),
      e('TG_CONFIG_COMPONENT_ID', 'service.pipelines.tracs', 24, /unknown signal "tracs".*did you mean `traces`\?/),
      e('TG_CONFIG_UNKNOWN_KEY', 'service.pipelines.traces/x.procesors', 30, /did you mean `processors`\?/),
      w('TG_CONFIG_UNUSED', 'receivers.hostmetrics', 5, /not used by any pipeline/),
      w('TG_CONFIG_UNUSED', 'exporters.prometheus', 10, /not used by any pipeline/),
    ],
  },
  {
    file: 'no-pipelines.yaml',
    valid: false,
    issues: [
      e('TG_CONFIG_PIPELINE', 'service.pipelines', 7, /service must have at least one pipeline/),
      w('TG_CONFIG_UNUSED', 'receivers.otlp', 2, /not used/),
      w('TG_CONFIG_UNUSED', 'exporters.debug', 6, /not used/),
    ],
  },
  {
    file: 'address-conflict.yaml',
    valid: false,
    issues: [
      w('TG_CONFIG_UNUSED', 'receivers.otlp/unused', 16, /not used by any pipeline/),
      e(
        'TG_CONFIG_ADDRESS_CONFLICT',
        'extensions.health_check.endpoint',
        23,
        /localhost:8888 overlaps 127\.0\.0\.1:8888 of the collector's own metrics server/,
      ),
      e(
        'TG_CONFIG_ADDRESS_CONFLICT',
        'receivers.otlp/2.protocols.grpc.endpoint',
        9,
        /0\.0\.0\.0:4317 overlaps 127\.0\.0\.1:4317 of receivers\.otlp\.protocols\.grpc\.endpoint \(line 5\)/,
      ),
    ],
  },
  {
    file: 'unused.yaml',
    valid: true,
    issues: [
      w('TG_CONFIG_UNUSED', 'receivers.otlp/spare', 5, /receivers\.otlp\/spare is configured but not used/),
      w('TG_CONFIG_UNUSED', 'processors.resource', 9, /processors\.resource is configured but not used/),
      w('TG_CONFIG_UNUSED', 'exporters.otlp', 16, /exporters\.otlp is configured but not used/),
      w('TG_CONFIG_UNUSED', 'extensions.health_check', 19, /not enabled in service\.extensions/),
    ],
  },
  {
    file: 'component-rules.yaml',
    valid: false,
    issues: [
      e('TG_CONFIG_COMPONENT_INVALID', 'receivers.otlp.protocols', 3, /must specify at least one protocol/),
      e('TG_CONFIG_MISSING_KEY', 'exporters.otlp.endpoint', 5, /missing required key `endpoint`/),
      e('TG_CONFIG_COMPONENT_INVALID', 'extensions.basicauth', 11, /set exactly one of htpasswd/),
    ],
  },
  {
    file: 'telemetry.yaml',
    valid: false,
    issues: [
      e('TG_CONFIG_UNKNOWN_KEY', 'service.extenions', 18, /did you mean `extensions`\?/),
      e('TG_CONFIG_UNKNOWN_KEY', 'service.telemetry.logs.encodng', 11, /did you mean `encoding`\?/),
      e('TG_CONFIG_VALUE', 'service.telemetry.logs.level', 10, /"verbose" is not allowed/, /debug, info, warn, error/),
    ],
  },
  {
    file: 'telemetry-readers.yaml',
    valid: false,
    issues: [
      e(
        'TG_CONFIG_ADDRESS_CONFLICT',
        'receivers.otlp.protocols.grpc.endpoint',
        5,
        /0\.0\.0\.0:9999 overlaps localhost:9999 of service\.telemetry\.metrics\.readers\[0\]/,
      ),
    ],
  },
  {
    file: 'top-level.yaml',
    valid: false,
    issues: [
      e('TG_CONFIG_UNKNOWN_KEY', 'recievers', 1, /unknown top-level section `recievers`; did you mean `receivers`\?/),
      e('TG_CONFIG_UNSUPPORTED', 'connectors', 5, /connectors are not supported/),
      e(
        'TG_CONFIG_UNDEFINED_REFERENCE',
        'service.pipelines.traces.receivers[0]',
        10,
        /receiver "otlp" which is not configured/,
      ),
    ],
  },
  { file: 'syntax-error.yaml', valid: false, issues: [e('TG_CONFIG_READ', '', 5, /not valid YAML/, /indentation/)] },
];

for (const c of cases) {
  test(`config ${c.file}`, async () => {
    const result = await loadConfig({ configs: [dir + c.file], sets: [], env: {}, registry: fakeRegistry() });
    const shown = result.issues
      .map((i) => `${i.severity} ${i.code} ${i.path}:${i.source?.line} ${i.message}`)
      .join('\n');
    assert.equal(result.issues.length, c.issues.length, `issues were:\n${shown}`);
    c.issues.forEach((want, k) => {
      const got = result.issues[k]!;
      assert.equal(got.severity, want.severity ?? 'error', shown);
      assert.equal(got.code, want.code, shown);
      assert.equal(got.path, want.path, shown);
      assert.equal(got.source?.line, want.line, shown);
      assert.equal(got.source.file, dir + c.file);
      assert.match(got.message, want.message);
      assert.ok(got.hint === undefined || got.hint.length > 0);
      if (want.hint) assert.match(got.hint ?? '', want.hint);
    });
    assert.equal(result.config !== undefined, c.valid);
  });
}

test('a resolved seed config carries typed configs, pipelines and telemetry defaults', async () => {
  const { config } = await loadConfig({
    configs: [`${dir}seed-edge.yaml`],
    sets: [],
    env: {},
    registry: fakeRegistry(),
  });
  assert.ok(config);
  assert.deepEqual(config.receivers.get('otlp')?.config, {
    protocols: { grpc: { endpoint: '0.0.0.0:4317', max_recv_msg_size_mib: 4 } },
  });
  assert.equal(config.receivers.get('otlp')?.id.type, 'otlp');
  assert.deepEqual(config.extensions.get('basicauth/client')?.config, {
    client_auth: { username: 'user-1', password: new Secret('1234') },
  });
  assert.deepEqual(config.exporters.get('otlp')?.config, {
    endpoint: 'traces.example.com:443',
    tls: { insecure: false, insecure_skip_verify: false },
    auth: { authenticator: 'basicauth/client' },
    timeout: 5000,
    compression: 'gzip',
  });
  assert.deepEqual(config.service.extensions, ['basicauth/client']);
  assert.deepEqual(config.service.pipelines.get('traces'), {
    id: 'traces',
    signal: 'traces',
    receivers: ['otlp'],
    processors: ['k8sattributes'],
    exporters: ['otlp', 'logging'],
  });
  assert.deepEqual(config.service.telemetry, {
    logs: { level: 'info', encoding: 'console' },
    metrics: { level: 'normal', address: '127.0.0.1:8888' },
    resource: {},
  });
  assert.ok(config.processors.has('resource'), 'an unused component is still resolved');
});

test('metrics level none turns the metrics server off, so its port is free', async () => {
  const { config, issues } = await loadConfig({
    configs: [`${dir}address-conflict.yaml`],
    sets: ['service::telemetry::metrics::level=none', 'receivers::otlp/2::protocols::grpc::endpoint=0.0.0.0:4417'],
    env: {},
    registry: fakeRegistry(),
  });
  assert.deepEqual(
    issues.map((i) => i.code),
    ['TG_CONFIG_UNUSED'],
  );
  assert.equal(config?.service.telemetry.metrics.address, undefined);
});
