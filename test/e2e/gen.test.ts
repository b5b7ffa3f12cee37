// `telegate gen` end to end: the CLI (from source) sends to a real otlp receiver guarded by the
// basicauth extension, over gRPC and HTTP. The spans counted at the receiver equal what gen reports;
// wrong credentials fail with UNAUTHENTICATED and a non-zero exit, never printing the password; the
// achieved --rate is measured from the receiver's counts; the scenario's traces are checked decoded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fromPlain } from '../../src/config/node.ts';
import { validateConfig } from '../../src/config/validate.ts';
import type { Component, Factory } from '../../src/contracts/component.ts';
import { htpasswdBcrypt } from '../../src/cli/passwd.ts';
import { basicAuthFactory } from '../../src/components/extensions/basicauth/factory.ts';
import { otlpReceiverFactory } from '../../src/components/receivers/otlp/factory.ts';
import { decodeRequest, type PMessage } from '../../src/pdata/decode.ts';
import { MemoryTelemetry, RecordingConsumer, RecordingLogger, testHost, testSettings } from '../helpers/fakes.ts';

const MAIN = join(new URL('../../', import.meta.url).pathname, 'src/cli/main.ts');
const USER = 'edge-1';
const PASSWORD = 'correct-horse-42';
const traces = new RecordingConsumer();
const logs = new RecordingConsumer();
const metrics = new RecordingConsumer();
const endpoints = { grpc: '', http: '' };
let auth: Component;
let receiver: Component;

function configOf(factory: Factory, raw: unknown): unknown {
  const r = validateConfig(factory.configSchema, fromPlain(raw, undefined), factory.type, undefined);
  assert.deepEqual(r.issues, []);
  return r.value;
}

before(async () => {
  const inline = `${USER}:${htpasswdBcrypt(PASSWORD, 4)}\n`;
  auth = basicAuthFactory.create(
    testSettings('extension', 'basicauth'),
    configOf(basicAuthFactory, { htpasswd: { inline } }) as never,
  );
  await auth.start(testHost());
  const a = { authenticator: 'basicauth' };
  const cfg = configOf(otlpReceiverFactory, {
    protocols: { grpc: { endpoint: '127.0.0.1:0', auth: a }, http: { endpoint: '127.0.0.1:0', auth: a } },
  });
  const logger = new RecordingLogger();
  receiver = otlpReceiverFactory.create(testSettings('receiver', 'otlp', new MemoryTelemetry(), logger), cfg as never, {
    traces,
    logs,
    metrics,
  });
  await receiver.start(testHost({ basicauth: auth }));
  const ep = (msg: string): string => String(logger.lines.find((l) => l.msg === msg)?.fields['endpoint']);
  endpoints.grpc = ep('Starting GRPC server');
  endpoints.http = ep('Starting HTTP server');
});
after(async () => {
  await receiver.shutdown();
  await auth.shutdown();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: { sentItems: number; failedItems: number; failedRequests: number };
}

/** Runs `telegate gen ...args --summary-json`, bounded to 30 s; `onSpawn` may signal the child. */
function gen(args: readonly string[], onSpawn?: (child: ChildProcess) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'gen', ...args, '--summary-json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    onSpawn?.(child);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('{"summary"'));
      const summary =
        line === undefined ? { sentItems: -1, failedItems: -1, failedRequests: -1 } : JSON.parse(line).summary;
      resolve({ code, stdout, stderr, summary });
    });
  });
}

const creds = ['--otlp-insecure', '--otlp-basic-auth', `${USER}:${PASSWORD}`];

for (const protocol of ['grpc', 'http'] as const) {
  test(`${protocol}: the spans counted at the receiver equal what gen reports`, async () => {
    const before = traces.items();
    const flags = protocol === 'http' ? ['--otlp-http'] : [];
    const r = await gen([
      'traces',
      ...flags,
      '--otlp-endpoint',
      endpoints[protocol],
      ...creds,
      '--workers',
      '3',
      '--traces',
      '400',
      '--child-spans',
      '4',
      '--batch-size',
      '100',
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.summary.sentItems, 3 * 400 * 5);
    assert.equal(traces.items() - before, r.summary.sentItems);
    assert.match(r.stdout, /sent 6,000 spans/);
  });

  test(`${protocol}: wrong credentials fail with UNAUTHENTICATED, exit 1, and never print the password`, async () => {
    const before = traces.items();
    const flags = protocol === 'http' ? ['--otlp-http'] : [];
    const wrong = 'wrong-password-77';
    const r = await gen([
      'traces',
      ...flags,
      '--otlp-endpoint',
      endpoints[protocol],
      '--otlp-insecure',
      '--otlp-basic-auth',
      `${USER}:${wrong}`,
      '--traces',
      '10',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /export failed \(\d+ requests\): UNAUTHENTICATED/);
    assert.equal(r.summary.sentItems, 0);
    assert.ok(r.summary.failedItems > 0);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(wrong));
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(Buffer.from(`${USER}:${wrong}`).toString('base64')));
    assert.equal(traces.items(), before, 'nothing refused reached the pipeline');
  });
}

test('--rate holds within 10% over 3 s, measured from the receiver counts', async () => {
  const before = traces.items();
  const rate = 3000;
  const r = await gen([
    'traces',
    '--otlp-endpoint',
    endpoints.grpc,
    ...creds,
    '--rate',
    String(rate),
    '--duration',
    '3s',
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const received = traces.items() - before;
  assert.equal(received, r.summary.sentItems);
  const expected = rate * 3;
  assert.ok(Math.abs(received - expected) <= expected * 0.1, `received ${received}, expected ${expected} ± 10%`);
});

test('the scenario arrives as connected multi-service traces with errors, events and links', async () => {
  const from = traces.payloads.length;
  const r = await gen([
    'traces',
    '--otlp-endpoint',
    endpoints.grpc,
    ...creds,
    '--scenario',
    'shop',
    '--services',
    '5',
    '--traces',
    '200',
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const spans: PMessage[] = [];
  const services = new Set<string>();
  for (const p of traces.payloads.slice(from)) {
    for (const rs of (decodeRequest('traces', p.bytes)['resourceSpans'] ?? []) as PMessage[]) {
      const attrs = ((rs['resource'] as PMessage)['attributes'] ?? []) as PMessage[];
      services.add((attrs.find((a) => a['key'] === 'service.name')?.['value'] as PMessage)['stringValue'] as string);
      for (const ss of (rs['scopeSpans'] ?? []) as PMessage[]) spans.push(...((ss['spans'] ?? []) as PMessage[]));
    }
  }
  assert.equal(spans.length, r.summary.sentItems);
  assert.equal(services.size, 5);
  const ids = new Set(spans.map((s) => (s['spanId'] as Buffer).toString('hex')));
  const orphans = spans.filter(
    (s) => s['parentSpanId'] !== undefined && !ids.has((s['parentSpanId'] as Buffer).toString('hex')),
  );
  assert.equal(orphans.length, 0);
  assert.equal(spans.filter((s) => s['parentSpanId'] === undefined).length, 200, 'one root per trace');
  assert.ok(
    spans.some((s) => (s['status'] as PMessage | undefined)?.['code'] === 2),
    'some spans fail',
  );
  assert.ok(spans.some((s) => ((s['events'] ?? []) as PMessage[]).some((e) => e['name'] === 'exception')));
  assert.ok(spans.some((s) => ((s['links'] ?? []) as PMessage[]).length > 0));
});

test('metrics and logs reach the receiver over HTTP and gRPC', async () => {
  const m0 = metrics.items();
  const l0 = logs.items();
  const m = await gen([
    'metrics',
    '--otlp-http',
    '--otlp-endpoint',
    endpoints.http,
    ...creds,
    '--metrics',
    '20',
    '--rate',
    '0',
    '--metric-type',
    'Histogram',
  ]);
  const l = await gen(['logs', '--otlp-endpoint', endpoints.grpc, ...creds, '--logs', '30', '--workers', '2']);
  assert.equal(m.code, 0, m.stdout + m.stderr);
  assert.equal(l.code, 0, l.stdout + l.stderr);
  assert.equal(metrics.items() - m0, 20);
  assert.equal(logs.items() - l0, 60);
});

test('a refused connection is reported with its reason and exit 1', async () => {
  const r = await gen(['traces', '--otlp-endpoint', '127.0.0.1:1', '--otlp-insecure']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /UNAVAILABLE: connection refused by 127\.0\.0\.1:1/);
});

test('SIGINT stops an unbounded run cleanly: summary printed, every reported span arrived, exit 0', async () => {
  const before = traces.items();
  const r = await gen(
    ['traces', '--otlp-endpoint', endpoints.grpc, ...creds, '--duration', 'inf', '--rate', '2000'],
    (child) => {
      void traces.waitForItems(before + 400).then(() => child.kill('SIGINT'));
    },
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /interrupted/);
  assert.ok(r.summary.sentItems >= 400);
  assert.equal(traces.items() - before, r.summary.sentItems);
});
