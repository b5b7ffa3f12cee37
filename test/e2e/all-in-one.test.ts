// `telegate all-in-one` as a user runs it: a real process on free loopback ports (set with --set and a
// --config overlay), traces from the OpenTelemetry JS SDK over OTLP gRPC and HTTP, read back through
// the Jaeger query API; max_traces bounds the store; SIGTERM exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportResultCode } from '@opentelemetry/core';
import { sdkExporter, sdkResource, sdkSend, sdkSpans } from '../helpers/sdk.ts';
import { freePort, runTelegate, writeConfig } from '../helpers/telegate-process.ts';

test('all-in-one: OTLP in, Jaeger API out, ports and max_traces from --set and --config', async () => {
  const [grpc, http, query] = await Promise.all([freePort(), freePort(), freePort()]);
  const overlay = writeConfig(`extensions:\n  jaeger_query:\n    http:\n      endpoint: 127.0.0.1:${query}\n`);
  const proc = runTelegate([
    'all-in-one',
    '--config',
    overlay,
    '--set',
    `receivers::otlp::protocols::grpc::endpoint=127.0.0.1:${grpc}`,
    '--set',
    `receivers::otlp::protocols::http::endpoint=127.0.0.1:${http}`,
    '--set',
    'extensions::jaeger_storage::backends::memstore::memory::max_traces=3',
    '--set',
    'processors::batch::timeout=10ms',
    '--set',
    'service::telemetry::metrics::level=none',
  ]);
  // The exit code is checked only when the body passed: a failure there (a start that failed, with the
  // output in its message) must not be replaced by "exit code 1".
  let passed = false;
  try {
    await proc.waitFor(/Everything is ready/);
    assert.match(proc.output(), new RegExp(`Jaeger query API and UI at http://127\\.0\\.0\\.1:${query}/`));
    const urls = { grpc: `http://127.0.0.1:${grpc}`, http: `http://127.0.0.1:${http}` };
    const api = `http://127.0.0.1:${query}`;
    // Two SDK batches of two single-span traces each, one over gRPC and one over HTTP: 4 traces > max_traces 3.
    for (const [protocol, service] of [
      ['grpc', 'alpha'],
      ['http/protobuf', 'beta'],
    ] as const) {
      const exporter = sdkExporter('traces', protocol, urls);
      const batch = sdkSpans(sdkResource({ 'service.name': service }));
      assert.equal((await sdkSend(exporter, batch.items)).code, ExportResultCode.SUCCESS);
      await exporter.shutdown();
    }
    let traces: { traceID: string; spans: { operationName: string }[] }[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${api}/api/traces?service=beta&limit=20`);
      traces = ((await res.json()) as { data: typeof traces }).data;
      if (traces.length === 2) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(traces.length, 2);
    const services = (await (await fetch(`${api}/api/services`)).json()) as { data: string[]; total: number };
    assert.deepEqual(services.data, ['alpha', 'beta']);
    const alpha = (await (await fetch(`${api}/api/traces?service=alpha`)).json()) as { data: unknown[] };
    assert.equal(alpha.data.length, 1, 'the oldest trace was evicted (max_traces=3)');
    const one = await fetch(`${api}/api/traces/${traces[0]!.traceID}`);
    assert.equal(one.status, 200);
    const page = await fetch(`${api}/`);
    assert.equal(page.status, 200, 'the web UI is served at /');
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    passed = true;
  } finally {
    const code = await proc.stop();
    if (passed) assert.equal(code, 0, proc.output());
  }
  assert.match(proc.output(), /Shutdown complete/);
});

test('all-in-one validates its built-in config with overlays and reports bad ones', async () => {
  const proc = runTelegate([
    'all-in-one',
    '--set',
    'extensions::jaeger_storage::backends::memstore::memory::max_traces=-5',
    '--set',
    'service::telemetry::metrics::level=none',
  ]);
  const code = await new Promise<number | null>((resolve) => {
    if (proc.child.exitCode !== null) resolve(proc.child.exitCode);
    else proc.child.once('exit', resolve);
  });
  assert.equal(code, 1);
  assert.match(proc.output(), /extensions\.jaeger_storage\.backends\.memstore\.memory\.max_traces.*positive integer/);
});

test('all-in-one --help shows its own flags and the keys of its ports and bounds', async () => {
  const proc = runTelegate(['all-in-one', '--help']);
  const code = await new Promise<number | null>((resolve) => {
    if (proc.child.exitCode !== null) resolve(proc.child.exitCode);
    else proc.child.once('exit', resolve);
  });
  assert.equal(code, 0);
  const out = proc.output();
  assert.match(out, /^ {2}telegate all-in-one \[--config FILE\]\.\.\. \[--set KEY=VALUE\]\.\.\.$/m);
  assert.match(out, /OTLP\/gRPC in +receivers::otlp::protocols::grpc::endpoint +localhost:4317/);
  assert.match(out, /OTLP\/HTTP in +receivers::otlp::protocols::http::endpoint +localhost:4318/);
  assert.match(out, /own metrics +service::telemetry::metrics::address +127\.0\.0\.1:8888/);
  assert.match(out, /Jaeger API \+ UI +extensions::jaeger_query::http::endpoint +0\.0\.0\.0:16686/);
  // Not the collector's general help.
  assert.doesNotMatch(out, /telegate validate/);
});
