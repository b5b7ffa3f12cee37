// The telegate command line as a user meets it: exit codes, messages, the built-in config, --set,
// a busy port, and validate reporting every problem with its path and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { freePort, runTelegate, writeConfig } from '../helpers/telegate-process.ts';
import { BUILTIN_FACTORIES } from '../../src/components/builtin.ts';

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  const proc = runTelegate(args, env);
  const code = await new Promise<number | null>((resolve) => proc.child.once('exit', resolve));
  return { code, out: proc.output() };
}

test('--version and --help print and exit 0; an unknown command exits 2 with usage', async () => {
  const v = await run(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.out, /^telegate version \d+\.\d+\.\d+/);
  const h = await run(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /telegate validate --config FILE/);
  const bad = await run(['frobnicate']);
  assert.equal(bad.code, 2);
  assert.match(bad.out, /unknown command or argument 'frobnicate'/);
  const flag = await run(['--confg', 'x.yaml']);
  assert.equal(flag.code, 2);
  assert.match(flag.out, /Unknown option '--confg'/);
});

test('components lists every built-in type with its signals and stability', async () => {
  const { code, out } = await run(['components', '--json']);
  assert.equal(code, 0);
  type Entry = { name: string; stability: Record<string, string> };
  const listing = JSON.parse(out) as Record<string, Entry[]>;
  // The listing is BUILTIN_FACTORIES by kind, in order: a new component shows up with no edit here.
  for (const kind of ['receiver', 'processor', 'exporter', 'extension'] as const) {
    const listed = (listing[`${kind}s`] ?? []).map((c) => c.name);
    assert.deepEqual(
      listed,
      BUILTIN_FACTORIES.filter((f) => f.kind === kind).map((f) => f.type),
      `${kind}s`,
    );
  }
  assert.ok(listing['receivers']?.some((c) => c.name === 'otlp'));
  assert.equal(listing['exporters']?.find((c) => c.name === 'otlp')?.stability['traces'], 'stable');
});

test('validate reports every problem with path and line, exits 1, and never prints a stack', async () => {
  const file = writeConfig(`receivers:
  otlp:
    protocols:
      grpc:
        endpont: 127.0.0.1:4317
processors:
  batch:
    timeout: 200 ms
exporters:
  otlp:
    endpoint: \${env:TG_TEST_ENDPOINT}
    tls: { insecure: true }
  otlpp:
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch, memory_limiter]
      exporters: [otlp]
`);
  const { code, out } = await run(['validate', '--config', file], { TG_TEST_ENDPOINT: '127.0.0.1:4317' });
  assert.equal(code, 1);
  assert.match(out, /receivers\.otlp\.protocols\.grpc\.endpont \(.*config\.yaml:5:9\): .*did you mean `endpoint`/);
  assert.match(out, /processors\.batch\.timeout \(.*:8:14\)/);
  assert.match(out, /exporters\.otlpp \(.*:13:3\): unknown exporter type `otlpp`; did you mean `otlp`/);
  assert.match(out, /service\.pipelines\.traces\.processors\[1\] \(.*:18:27\): .*memory_limiter/);
  assert.doesNotMatch(out, /\n\s+at .*\.ts:\d+/, 'no stack trace');
});

test('a valid config validates with exit 0; --set overrides a value', async () => {
  const file = writeConfig(`receivers:
  otlp:
    protocols:
      grpc:
exporters:
  debug:
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [debug] }
`);
  const ok = await run(['validate', '--config', file]);
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /config is valid/);
  const bad = await run(['validate', '--config', file, '--set', 'exporters::debug::verbosity=loud']);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /exporters\.debug\.verbosity \(--set exporters::debug::verbosity=loud\): .*loud/);
});

test('the built-in config runs and stops cleanly on SIGINT with exit 0', async () => {
  const [grpc, http, metrics] = [await freePort(), await freePort(), await freePort()];
  const proc = runTelegate([
    '--set',
    `receivers::otlp::protocols::grpc::endpoint=127.0.0.1:${grpc}`,
    '--set',
    `receivers::otlp::protocols::http::endpoint=127.0.0.1:${http}`,
    '--set',
    `service::telemetry::metrics::address=127.0.0.1:${metrics}`,
  ]);
  await proc.waitFor(/Everything is ready/);
  assert.match(proc.output(), /built-in config/);
  assert.equal(await proc.stop('SIGINT'), 0);
  assert.match(proc.output(), /Shutdown complete/);
});

test('a busy port is a clear error naming the endpoint, exit 1', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    const file = writeConfig(`receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${port} }
exporters:
  debug:
service:
  telemetry: { metrics: { level: none } }
  pipelines:
    traces: { receivers: [otlp], exporters: [debug] }
`);
    const { code, out } = await run(['--config', file]);
    assert.equal(code, 1);
    assert.match(out, new RegExp(`127\\.0\\.0\\.1:${port}.*address already in use`));
  } finally {
    blocker.close();
  }
});
