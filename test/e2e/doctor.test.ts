// `telegate doctor` against real peers, one test per failure it names, each produced for real: a
// telegate gateway (basicauth/server with an htpasswd file made by Apache's `htpasswd`) with TLS,
// plaintext, expired-certificate and wrong-name receivers; real nginx in front of it as an ingress
// without `backend-protocol: GRPC` (proxy_pass over HTTP/1.1), as an HTTP/1.1-only front, and with a
// small body limit (413); and a port where nothing listens. Each test checks the step that fails, its
// finding and the words of its hint; the edge configs go through the project's loader as `doctor
// --config` reads them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_FACTORIES } from '../../src/components/builtin.ts';
import { loadConfig, registryOf } from '../../src/config/load-config.ts';
import { checkTarget } from '../../src/doctor/check-target.ts';
import { targetsFromConfig } from '../../src/doctor/config-targets.ts';
import type { StepName, StepResult, TargetReport } from '../../src/doctor/result.ts';
import { expiredServerCert, type ExpiredPair } from '../helpers/expired-cert.ts';
import { RecordingLogger } from '../helpers/fakes.ts';
import { nginxMissing, startNginx, type Nginx } from '../helpers/nginx.ts';
import { freePort, runTelegate, writeConfig, type TelegateProcess } from '../helpers/telegate-process.ts';
import { makeCa, type IssuedCert, type TestCa } from '../helpers/tls.ts';

const PASSWORD = 'c0rrect-horse';
const skip = nginxMissing() ?? htpasswdMissing();

function htpasswdMissing(): string | undefined {
  try {
    execFileSync('htpasswd', ['-nbB', 'x', 'y'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'htpasswd is not installed: apt-get install -y apache2-utils';
  }
}

const ports = { tls: 0, plain: 0, http: 0, expired: 0, wrongName: 0, nothing: 0 };
const fronts: Record<'http1Upstream' | 'http1Only' | 'smallBody', Nginx | undefined> = {
  http1Upstream: undefined,
  http1Only: undefined,
  smallBody: undefined,
};
let dir: string;
let ca: TestCa;
let server: IssuedCert;
let expired: ExpiredPair;
let gateway: TelegateProcess | undefined;

before(async () => {
  if (skip !== undefined) return;
  dir = mkdtempSync(join(tmpdir(), 'tg-doctor-'));
  execFileSync('htpasswd', ['-cbB', join(dir, 'htpasswd'), 'edge-1', PASSWORD], { stdio: 'ignore' });
  writeFileSync(join(dir, 'password'), `${PASSWORD}\n`);
  ca = makeCa(dir);
  server = ca.issue('gateway');
  const ingress = ca.issue('ingress', { cn: 'ingress.example.com', san: 'DNS:ingress.example.com' });
  expired = expiredServerCert(3);
  for (const k of Object.keys(ports) as (keyof typeof ports)[]) ports[k] = await freePort();
  gateway = runTelegate(['--config', writeConfig(gatewayYaml(ingress))]);
  await gateway.waitFor(/Everything is ready/);
  const [a, b, c] = [await freePort(), await freePort(), await freePort()];
  const tls = { certFile: server.certFile, keyFile: server.keyFile, backendPort: ports.plain };
  // An ingress without `backend-protocol: GRPC`: gRPC passed on as HTTP/1.1 to an HTTP/1.1 port.
  fronts.http1Upstream = await startNginx({ ...tls, port: a, upstream: 'http1', backendPort: ports.http });
  fronts.http1Only = await startNginx({ ...tls, port: b, http2: false });
  fronts.smallBody = await startNginx({ ...tls, port: c, clientMaxBodySize: '64k' });
});

after(async () => {
  for (const front of Object.values(fronts)) await front?.stop();
  await gateway?.stop();
});

function gatewayYaml(ingress: IssuedCert): string {
  const auth = 'auth: { authenticator: basicauth/server }';
  const grpc = (port: number, cert?: { certFile: string; keyFile: string }): string =>
    `{ protocols: { grpc: { endpoint: 127.0.0.1:${port}, ${auth}${cert === undefined ? '' : `, tls: { cert_file: ${cert.certFile}, key_file: ${cert.keyFile} }`} } } }`;
  return `extensions:
  basicauth/server: { htpasswd: { file: ${join(dir, 'htpasswd')} } }
receivers:
  otlp/tls: ${grpc(ports.tls, server)}
  otlp/plain: ${grpc(ports.plain)}
  otlp/http: { protocols: { http: { endpoint: 127.0.0.1:${ports.http}, ${auth} } } }
  otlp/expired: ${grpc(ports.expired, expired)}
  otlp/wrongname: ${grpc(ports.wrongName, ingress)}
exporters:
  debug: {}
service:
  extensions: [basicauth/server]
  telemetry: { metrics: { level: none } }
  pipelines:
    traces: { receivers: [otlp/tls, otlp/plain, otlp/http, otlp/expired, otlp/wrongname], exporters: [debug] }
`;
}

interface Edge {
  readonly endpoint: string;
  readonly type?: 'otlp' | 'otlphttp';
  readonly tls?: string;
  readonly password?: string | undefined;
  readonly batchMax?: number;
}

/** An edge config as the seed writes it: basicauth/client → one exporter, optionally behind a batch processor. */
function edgeYaml(e: Edge): string {
  const auth = e.password === undefined ? '' : '\n    auth: { authenticator: basicauth/client }';
  const batch = e.batchMax === undefined ? '' : `processors: [batch], `;
  return `extensions:
  basicauth/client: { client_auth: { username: edge-1, password: "${e.password ?? 'unused'}" } }
receivers:
  otlp: { protocols: { grpc: { endpoint: 127.0.0.1:0 } } }
processors:
  batch: { send_batch_size: ${e.batchMax ?? 8192}, send_batch_max_size: ${e.batchMax ?? 0} }
exporters:
  ${e.type ?? 'otlp'}:
    endpoint: ${e.endpoint}
    tls: ${e.tls ?? `{ ca_file: ${ca.certFile} }`}${auth}
service:
  extensions: [basicauth/client]
  pipelines:
    traces: { receivers: [otlp], ${batch}exporters: [${e.type ?? 'otlp'}] }
`;
}

/** Runs doctor's checks on the edge config, in process, as `telegate doctor --config` does. */
async function doctor(e: Edge): Promise<TargetReport> {
  const { config, issues } = await loadConfig({
    configs: [`yaml:${edgeYaml(e)}`],
    sets: [],
    registry: registryOf(BUILTIN_FACTORIES),
  });
  assert.ok(config, JSON.stringify(issues));
  const { targets } = await targetsFromConfig(config, new RecordingLogger());
  assert.equal(targets.length, 1);
  return checkTarget(targets[0]!, { timeoutMs: 5000 });
}

/** Runs the CLI to its end; `close` (not `exit`) so that all its output has been read. */
async function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  const proc = runTelegate(args);
  const code = await new Promise<number | null>((resolve) => proc.child.once('close', resolve));
  return { code, out: proc.output() };
}

function step(report: TargetReport, name: StepName): StepResult {
  const found = report.steps.find((s) => s.step === name);
  assert.ok(found, `no ${name} step`);
  return found;
}

/** Asserts that `name` is the first failing step, with `finding`, and that the steps after it did not run. */
function failsAt(report: TargetReport, name: StepName, finding: string): StepResult {
  const failed = report.steps.filter((s) => s.outcome === 'fail');
  assert.deepEqual(
    failed.map((s) => [s.step, s.finding]),
    [[name, finding]],
    JSON.stringify(report.steps, null, 2),
  );
  const after = report.steps.slice(report.steps.findIndex((s) => s.step === name) + 1);
  assert.ok(after.every((s) => s.outcome === 'skip' && s.detail.includes(`the ${name} step failed`)));
  return step(report, name);
}

test('the right password over TLS to the gateway: every step passes', { skip }, async () => {
  const report = await doctor({ endpoint: `localhost:${ports.tls}`, password: PASSWORD, batchMax: 1000 });
  assert.deepEqual(
    report.steps.map((s) => [s.step, s.outcome]),
    [
      ['dns', 'pass'],
      ['tcp', 'pass'],
      ['tls', 'pass'],
      ['protocol', 'pass'],
      ['token', 'skip'],
      ['auth', 'pass'],
      ['size', 'pass'],
    ],
    JSON.stringify(report.steps, null, 2),
  );
  assert.match(step(report, 'tls').detail, /certificate for localhost, 127\.0\.0\.1, issued by CN=telegate test CA/);
  assert.match(step(report, 'auth').detail, /accepted an empty export as `edge-1` \(basicauth\/client\)/);
});

test('wrong password: UNAUTHENTICATED, naming the user and the htpasswd', { skip }, async () => {
  const report = await doctor({ endpoint: `localhost:${ports.tls}`, password: 'not-the-password' });
  const auth = failsAt(report, 'auth', 'unauthenticated');
  assert.match(
    auth.detail,
    /the gateway answered UNAUTHENTICATED: the password of `edge-1` does not match the gateway's htpasswd/,
  );
  assert.match(auth.fix ?? '', /client_auth\.password of basicauth\/client/);
  assert.doesNotMatch(JSON.stringify(report), /not-the-password/);
});

test('no credentials at all: the exporter is told to use an authenticator', { skip }, async () => {
  const report = await doctor({ endpoint: `localhost:${ports.tls}` });
  assert.match(failsAt(report, 'auth', 'no-credentials').fix ?? '', /auth: \{authenticator: basicauth\/client\}/);
});

test('unknown CA: the issuer is named and tls.ca_file is the fix', { skip }, async () => {
  const stranger = makeCa(mkdtempSync(join(tmpdir(), 'tg-doctor-ca-')), 'some other CA');
  const report = await doctor({ endpoint: `localhost:${ports.tls}`, tls: `{ ca_file: ${stranger.certFile} }` });
  const tls = failsAt(report, 'tls', 'unknown-ca');
  assert.match(tls.detail, /signed by CN=telegate test CA, which is not among tls\.ca_file/);
  assert.match(tls.fix ?? '', /set tls\.ca_file to the certificate of CN=telegate test CA/);
  assert.doesNotMatch(tls.fix ?? '', /insecure_skip_verify/);
});

test('expired certificate: renew it on the server, verification stays on', { skip }, async () => {
  const report = await doctor({ endpoint: `localhost:${ports.expired}`, tls: `{ ca_file: ${expired.caFile} }` });
  const tls = failsAt(report, 'tls', 'expired');
  assert.match(tls.detail, new RegExp(`expired on ${expired.notAfter.toISOString().slice(0, 10)}, 3 days ago`));
  assert.match(tls.fix ?? '', /renew the certificate.*do not turn verification off/);
});

test('wrong name: the certificate is for ingress.example.com, you dialled 127.0.0.1', { skip }, async () => {
  const report = await doctor({ endpoint: `127.0.0.1:${ports.wrongName}` });
  const tls = failsAt(report, 'tls', 'wrong-name');
  assert.equal(tls.detail, 'TLS: the certificate is for ingress.example.com, you dialled 127.0.0.1');
  assert.match(tls.fix ?? '', /tls\.server_name_override: ingress\.example\.com/);
});

test('plaintext port dialled with TLS: the server is named plaintext', { skip }, async () => {
  const report = await doctor({ endpoint: `127.0.0.1:${ports.plain}`, password: PASSWORD });
  const tls = failsAt(report, 'tls', 'plaintext-server');
  assert.match(tls.detail, /did not answer the TLS handshake with TLS: it is a plaintext port/);
  assert.match(tls.fix ?? '', /exporters\.otlp\.tls\.insecure: true/);
});

test('TLS port dialled in plaintext: the server expects TLS', { skip }, async () => {
  const report = await doctor({ endpoint: `127.0.0.1:${ports.tls}`, tls: '{ insecure: true }' });
  assert.equal(step(report, 'tls').outcome, 'skip');
  assert.match(failsAt(report, 'protocol', 'expects-tls').fix ?? '', /drop exporters\.otlp\.tls\.insecure: true/);
});

test('an ingress passing gRPC to an HTTP/1.1 upstream: is backend-protocol: GRPC set?', { skip }, async () => {
  const report = await doctor({ endpoint: `localhost:${fronts.http1Upstream?.port}`, password: PASSWORD });
  const protocol = failsAt(report, 'protocol', 'not-grpc');
  assert.match(protocol.detail, /^the server answered HTTP\/1\.1: HTTP 4\d\d .*without a gRPC status/);
  assert.match(protocol.fix ?? '', /is `backend-protocol: GRPC` set on the ingress/);
});

test('an HTTP/1.1-only front: the server answered HTTP/1.1', { skip }, async () => {
  const report = await doctor({ endpoint: `localhost:${fronts.http1Only?.port}`, password: PASSWORD });
  const protocol = failsAt(report, 'protocol', 'http1');
  assert.match(protocol.detail, /^the server answered HTTP\/1\.1: .*chose http\/1\.1, not h2/);
  assert.match(protocol.fix ?? '', /backend-protocol: GRPC/);
});

test('413 from nginx: raise proxy-body-size to at least the batch size', { skip }, async () => {
  const report = await doctor({ endpoint: `localhost:${fronts.smallBody?.port}`, password: PASSWORD, batchMax: 2000 });
  assert.equal(step(report, 'auth').outcome, 'pass');
  const size = failsAt(report, 'size', 'too-large-proxy');
  assert.match(
    size.detail,
    /^413 from the proxy \(nginx\): it refuses a 146\.5 KiB export \(the largest batch, 2000 spans/,
  );
  assert.match(size.fix ?? '', /raise `proxy-body-size` to at least the batch size, 146\.5 KiB/);
});

test('the same ingress takes a batch under its limit', { skip }, async () => {
  const report = await doctor({ endpoint: `localhost:${fronts.smallBody?.port}`, password: PASSWORD, batchMax: 500 });
  assert.equal(step(report, 'size').outcome, 'pass', JSON.stringify(report.steps));
});

test('nothing listening: connection refused, check the port', { skip }, async () => {
  const report = await doctor({ endpoint: `127.0.0.1:${ports.nothing}`, password: PASSWORD });
  assert.match(failsAt(report, 'tcp', 'refused').detail, /nothing listens on 127\.0\.0\.1 port \d+/);
});

test('a host that does not resolve stops at DNS', { skip }, async () => {
  const report = await doctor({ endpoint: 'gateway.no-such-host.invalid:4317' });
  assert.equal(failsAt(report, 'dns', report.steps[0]?.finding ?? '').step, 'dns');
});

test('otlphttp with a wrong password: HTTP 401 from the gateway', { skip }, async () => {
  const report = await doctor({
    type: 'otlphttp',
    endpoint: `http://127.0.0.1:${ports.http}`,
    tls: '{ insecure: true }',
    password: 'wrong',
  });
  assert.match(failsAt(report, 'auth', 'unauthenticated').detail, /answered HTTP 401: the password of `edge-1`/);
});

test('otlphttp with the right password passes every step it runs', { skip }, async () => {
  const report = await doctor({
    type: 'otlphttp',
    endpoint: `http://127.0.0.1:${ports.http}`,
    password: PASSWORD,
    batchMax: 1000,
  });
  assert.deepEqual(
    report.steps.filter((s) => s.outcome === 'fail'),
    [],
  );
  assert.equal(step(report, 'tls').outcome, 'skip');
});

test('CLI: doctor --config prints ✔ per step and exits 0 when every exporter passes', { skip }, async () => {
  const file = writeConfig(edgeYaml({ endpoint: `localhost:${ports.tls}`, password: PASSWORD, batchMax: 100 }));
  const run = await cli(['doctor', '--config', file]);
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /otlp → localhost:\d+\n {2}✔ DNS/);
  assert.match(run.out, /✔ auth +localhost:\d+ accepted an empty export as `edge-1`/);
  assert.match(run.out, /all 1 endpoint pass/);
  assert.doesNotMatch(run.out, new RegExp(PASSWORD));
});

test('CLI: doctor --endpoint --password-file prints ✘ with cause and fix and exits 1', { skip }, async () => {
  writeFileSync(join(dir, 'wrong'), 'wrong-password\n');
  const run = await cli([
    'doctor',
    '--endpoint',
    `localhost:${ports.tls}`,
    '--ca-file',
    ca.certFile,
    '--user',
    'edge-1',
    '--password-file',
    join(dir, 'wrong'),
  ]);
  assert.equal(run.code, 1, run.out);
  assert.match(run.out, /✘ auth +the gateway answered UNAUTHENTICATED: the password of `edge-1`/);
  assert.match(run.out, /fix: +make the password in --password-file the password of `edge-1`/);
  assert.match(run.out, /0 of 1 endpoint pass/);
});

test('CLI: doctor --endpoint --json with the right password exits 0', { skip }, async () => {
  const run = await cli([
    'doctor',
    '--endpoint',
    `localhost:${ports.tls}`,
    '--ca-file',
    ca.certFile,
    '--user',
    'edge-1',
    '--password-file',
    join(dir, 'password'),
    '--body-size',
    '64KiB',
    '--json',
  ]);
  assert.equal(run.code, 0, run.out);
  const parsed = JSON.parse(run.out) as { reports: TargetReport[] };
  assert.deepEqual(
    parsed.reports[0]?.steps.map((s) => s.outcome),
    ['pass', 'pass', 'pass', 'pass', 'skip', 'pass', 'pass'],
  );
});

test('validate warns about the seed pitfalls: credentials in plaintext, an oversized batch, an unused processor', async () => {
  const file = writeConfig(`extensions:
  basicauth/client: { client_auth: { username: edge-1, password: s3cret } }
receivers:
  otlp: { protocols: { grpc: { endpoint: 127.0.0.1:0 } } }
processors:
  batch: { send_batch_size: 20000, send_batch_max_size: 20000 }
  resource: { attributes: [{ key: k8s.cluster.name, value: edge-1, action: insert }] }
exporters:
  otlp: { endpoint: traces.example.com:4317, tls: { insecure: true }, auth: { authenticator: basicauth/client } }
service:
  extensions: [basicauth/client]
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [otlp] }
`);
  const run = await cli(['validate', '--config', file]);
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /warning: exporters\.otlp\.tls\.insecure: .*credentials of basicauth\/client .*without TLS/);
  assert.match(run.out, /warning: processors\.batch\.send_batch_max_size: batches of up to 20000 spans/);
  assert.match(run.out, /warning: processors\.resource .*not used by any pipeline/);
  assert.match(run.out, /config is valid \(3 warnings\)/);
  assert.doesNotMatch(run.out, /s3cret/);
});
