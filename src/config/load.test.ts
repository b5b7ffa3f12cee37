// Loading config sources: merging --config files (maps deep, lists replaced), --set flags, the
// yaml:/env:/file: sources, and the errors each can produce, with where every value came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadSources, parseConfigUri } from './load.ts';
import { loadConfig } from './load-config.ts';
import { IssueList } from './issues.ts';
import { nodeAt, toPlain } from './node.ts';
import { formatIssue } from './format.ts';
import { fakeRegistry } from './testdata/fake-factories.ts';

const dir = fileURLToPath(new URL('./testdata/', import.meta.url));
const base = `${dir}merge-base.yaml`;
const override = `${dir}merge-override.yaml`;

async function load(configs: string[], sets: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const issues = new IssueList();
  const node = await loadSources({ configs, sets, env }, issues);
  return { node, issues: issues.items };
}

test('a later file merges over an earlier one: maps deeply, lists replaced', async () => {
  const { node, issues } = await load([base, override]);
  assert.deepEqual(issues, []);
  assert.deepEqual(toPlain(nodeAt(node, 'receivers.otlp.protocols')!), {
    grpc: { endpoint: '127.0.0.1:4317' },
    http: { endpoint: '0.0.0.0:4318' },
  });
  assert.deepEqual(toPlain(nodeAt(node, 'service.pipelines.traces')!), { receivers: ['otlp'], exporters: ['debug'] });
  assert.deepEqual(toPlain(nodeAt(node, 'exporters.debug')!), { verbosity: 'detailed' }, '`a::b` keys split into maps');
  assert.deepEqual(nodeAt(node, 'receivers.otlp.protocols.grpc.endpoint')?.source, {
    file: override,
    line: 5,
    column: 19,
  });
  assert.deepEqual(nodeAt(node, 'receivers.otlp.protocols.http.endpoint')?.source, { file: base, line: 7, column: 19 });
});

test('--set overrides with :: or . paths, parses YAML values and creates intermediate maps', async () => {
  const { node, issues } = await load(
    [base],
    [
      'receivers::otlp::protocols::grpc::endpoint=127.0.0.1:5317',
      'processors.batch.timeout=2s',
      'service::pipelines::traces::processors=[batch]',
      'exporters::otlp::headers::x-n= 5 ',
    ],
  );
  assert.deepEqual(issues, []);
  assert.equal(toPlain(nodeAt(node, 'receivers.otlp.protocols.grpc.endpoint')!), '127.0.0.1:5317');
  assert.deepEqual(toPlain(nodeAt(node, 'processors')!), { batch: { timeout: '2s' } });
  assert.deepEqual(toPlain(nodeAt(node, 'service.pipelines.traces')!), {
    receivers: ['otlp'],
    exporters: ['debug', 'otlp'],
    processors: ['batch'],
  });
  assert.equal(toPlain(nodeAt(node, 'exporters.otlp.headers.x-n')!), 5);
  assert.deepEqual(nodeAt(node, 'processors.batch.timeout')?.source, {
    file: '--set processors.batch.timeout=2s',
    line: 0,
    column: 0,
  });
});

const badSets: [flag: string, message: RegExp][] = [
  ['receivers::otlp', /bad --set "receivers::otlp": it has no `=`/],
  ['receivers::::otlp=1', /its key path has an empty key/],
  ['=1', /its key path has an empty key/],
  ['a::b=[unclosed', /bad --set "a::b=\[unclosed": the value is not valid YAML/],
];
for (const [flag, message] of badSets) {
  test(`a bad --set is an error naming it: ${flag}`, async () => {
    const { node, issues } = await load([base], [flag, 'x=1']);
    assert.equal(node, undefined);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.code, 'TG_CONFIG_SET_FLAG');
    assert.match(issues[0]!.message, message);
    assert.match(issues[0]!.hint ?? '', /--set|Quote/);
    assert.equal(issues[0]!.source?.file, `--set ${flag}`);
    assert.ok(formatIssue(issues[0]!).includes(`(--set ${flag})`));
  });
}

test('--config accepts a path, file:, yaml: and env: sources as the Go collector does', async () => {
  assert.deepEqual(parseConfigUri('/etc/c.yaml'), { scheme: 'file', path: '/etc/c.yaml' });
  assert.deepEqual(parseConfigUri('C:\\c.yaml'), { scheme: 'file', path: 'C:\\c.yaml' });
  assert.deepEqual(parseConfigUri('file:c.yaml'), { scheme: 'file', path: 'c.yaml' });
  assert.deepEqual(parseConfigUri('yaml:a: 1'), { scheme: 'yaml', text: 'a: 1' });
  assert.deepEqual(parseConfigUri('env:CFG'), { scheme: 'env', name: 'CFG' });
  const { node, issues } = await load([`file:${base}`, 'yaml:exporters::debug::verbosity: normal', 'env:CFG'], [], {
    CFG: 'extensions:\n  health_check:\n',
  });
  assert.deepEqual(issues, []);
  assert.equal(toPlain(nodeAt(node, 'exporters.debug.verbosity')!), 'normal');
  assert.deepEqual(toPlain(nodeAt(node, 'extensions')!), { health_check: null });
  assert.equal(nodeAt(node, 'extensions.health_check')?.source?.file, 'env:CFG');
});

const badSources: [config: string, message: RegExp][] = [
  ['/nonexistent/telegate.yaml', /cannot read config file "\/nonexistent\/telegate.yaml": no such file/],
  ['https://example.com/c.yaml', /unsupported scheme "https"/],
  ['env:NOPE', /environment variable NOPE is not set/],
  ['yaml:[1, 2]', /the config must be a map of sections/],
  ['yaml:a: [', /not valid YAML/],
];
for (const [config, message] of badSources) {
  test(`a bad --config is an error: ${config}`, async () => {
    const { node, issues } = await load([config]);
    assert.equal(node, undefined);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.code, 'TG_CONFIG_READ');
    assert.match(issues[0]!.message, message);
  });
}

test('loadConfig: --set values are validated and expanded like file values', async () => {
  const result = await loadConfig({
    configs: [base],
    sets: ['receivers::otlp::protocols::grpc::endpoint=${env:GRPC_ENDPOINT}', 'exporters::otlp::timeout=soon'],
    env: { GRPC_ENDPOINT: '127.0.0.1:5317' },
    registry: fakeRegistry(),
  });
  assert.equal(result.config, undefined);
  assert.equal(result.issues.length, 1);
  const issue = result.issues[0]!;
  assert.equal(issue.path, 'exporters.otlp.timeout');
  assert.equal(issue.source?.file, '--set exporters::otlp::timeout=soon');
  assert.match(
    formatIssue(issue),
    /^error: exporters\.otlp\.timeout \(--set exporters::otlp::timeout=soon\): "soon" is not a duration/,
  );
});

test('loadConfig: the merged config resolves with the override applied', async () => {
  const { config, issues } = await loadConfig({
    configs: [base, override],
    sets: ['receivers.otlp.protocols.grpc.endpoint=${env:EP}'],
    env: { EP: '127.0.0.1:5317' },
    registry: fakeRegistry(),
  });
  assert.deepEqual(
    issues.map((i) => i.path),
    ['exporters.otlp'],
    'otlp is no longer in the pipeline: an unused warning',
  );
  assert.deepEqual(config?.receivers.get('otlp')?.config, {
    protocols: { grpc: { endpoint: '127.0.0.1:5317', max_recv_msg_size_mib: 4 }, http: { endpoint: '0.0.0.0:4318' } },
  });
  assert.deepEqual(config.exporters.get('debug')?.config, { verbosity: 'detailed' });
});

test('loadConfig with no source at all is one clear error', async () => {
  const { config, issues } = await loadConfig({ configs: [], sets: [], registry: fakeRegistry() });
  assert.equal(config, undefined);
  assert.match(issues[0]?.message ?? '', /no config given/);
});

test('anchors, aliases and merge keys work; an alias bomb is an error, not a hang', async () => {
  const { node, issues } = await load(['yaml:base: &b {endpoint: "a:1"}\ncopy: *b\nmerged:\n  <<: *b\n  extra: 2\n']);
  assert.deepEqual(issues, []);
  assert.deepEqual(toPlain(node!), {
    base: { endpoint: 'a:1' },
    copy: { endpoint: 'a:1' },
    merged: { endpoint: 'a:1', extra: 2 },
  });
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 8; i++)
    levels.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(', ')}]`,
    );
  const bomb = await load([`yaml:${levels.join('\n')}\n`]);
  assert.equal(bomb.issues.length, 1);
  assert.match(bomb.issues[0]!.message, /too large/);
});
