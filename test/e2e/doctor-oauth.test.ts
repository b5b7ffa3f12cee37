// `telegate doctor` on an exporter authenticated by `oauth2client`, against a real OpenID provider
// (oidc-provider over HTTPS on loopback, as in oidc.test.ts): the token step asks the provider as the
// extension would and says its answer in plain words — a wrong secret, an unknown client, a scope it
// will not grant, a token URL where nothing listens or whose certificate is not trusted, answers that
// are no token — and a failed token step skips the auth step. Neither the secret nor the token is
// ever in a report, printed or as JSON, nor in the log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUILTIN_FACTORIES } from '../../src/components/builtin.ts';
import { loadConfig, registryOf } from '../../src/config/load-config.ts';
import { checkTarget } from '../../src/doctor/check-target.ts';
import { targetsFromConfig } from '../../src/doctor/config-targets.ts';
import { formatReport } from '../../src/doctor/print.ts';
import type { StepName, StepResult, TargetReport } from '../../src/doctor/result.ts';
import { RecordingLogger } from '../helpers/fakes.ts';
import { makeProviderKey, OpenIdProvider } from '../helpers/openid-provider.ts';
import { OtlpGrpcServer } from '../helpers/otlp-grpc-server.ts';
import { freePort } from '../helpers/telegate-process.ts';
import { makeCa, type TestCa } from '../helpers/tls.ts';

const CLIENT = {
  clientId: 'edge-1',
  clientSecret: 'doctor-client-s3cret',
  audience: 'telegate-gateway',
  tokenTtlS: 300,
};
const WRONG_SECRET = 'not-the-s3cret-at-all';

let ca: TestCa;
let provider: OpenIdProvider;
let gateway: OtlpGrpcServer;
let oddProvider: http.Server;

interface Oauth {
  clientId?: string;
  secret?: string;
  tokenUrl?: string;
  scopes?: string;
  tls?: string;
}

function edgeYaml(o: Oauth): string {
  return `
extensions:
  oauth2client:
    client_id: ${o.clientId ?? CLIENT.clientId}
    client_secret: ${o.secret ?? CLIENT.clientSecret}
    token_url: ${o.tokenUrl ?? `${provider.issuer}/token`}
    scopes: ${o.scopes ?? '[telemetry.write]'}
    tls: ${o.tls ?? `{ ca_file: ${ca.certFile} }`}
receivers:
  otlp: { protocols: { grpc: { endpoint: 127.0.0.1:0 } } }
exporters:
  otlp:
    endpoint: 127.0.0.1:${String(gateway.port)}
    tls: { insecure: true }
    auth: { authenticator: oauth2client }
service:
  extensions: [oauth2client]
  pipelines:
    traces: { receivers: [otlp], exporters: [otlp] }
`;
}

/** Doctor's checks in process, as `telegate doctor --config` runs them, with what was logged. */
async function doctor(o: Oauth): Promise<{ report: TargetReport; logged: string }> {
  const { config, issues } = await loadConfig({
    configs: [`yaml:${edgeYaml(o)}`],
    sets: [],
    registry: registryOf(BUILTIN_FACTORIES),
  });
  assert.ok(config, JSON.stringify(issues));
  const logger = new RecordingLogger();
  const { targets } = await targetsFromConfig(config, logger);
  assert.equal(targets.length, 1);
  const report = await checkTarget(targets[0]!, { timeoutMs: 5000 });
  return { report, logged: JSON.stringify(logger.lines) };
}

function step(report: TargetReport, name: StepName): StepResult {
  const found = report.steps.find((s) => s.step === name);
  assert.ok(found, `no ${name} step`);
  return found;
}

/** The token step failed with `finding`; protocol passed before it, auth and size were skipped for it. */
function tokenFails(report: TargetReport, finding: string): StepResult {
  const all = JSON.stringify(report.steps, null, 2);
  assert.deepEqual(
    report.steps.map((s) => [s.step, s.outcome]),
    [
      ['dns', 'pass'],
      ['tcp', 'pass'],
      ['tls', 'skip'],
      ['protocol', 'pass'],
      ['token', 'fail'],
      ['auth', 'skip'],
      ['size', 'skip'],
    ],
    all,
  );
  assert.equal(step(report, 'auth').detail, 'not run: the token step failed');
  const token = step(report, 'token');
  assert.equal(token.finding, finding, all);
  return token;
}

/** Neither `secrets` appears in the printout, the --json form or the log. */
function assertHidden(report: TargetReport, logged: string, secrets: readonly string[]): void {
  for (const text of [formatReport(report), JSON.stringify({ reports: [report] }), logged])
    for (const secret of secrets) assert.ok(!text.includes(secret), `secret found in: ${text}`);
}

before(async () => {
  ca = makeCa();
  const cert = ca.issue('provider');
  provider = await new OpenIdProvider({ key: cert.key, cert: cert.cert }, CLIENT).start([await makeProviderKey('k1')]);
  gateway = new OtlpGrpcServer();
  await gateway.start();
  // A token_url that is not a token endpoint: an HTML page, or JSON without a token.
  oddProvider = http.createServer((req, res) => {
    if (req.url === '/html') res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    else if (req.url === '/empty') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => oddProvider.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await provider.close();
  await gateway.stop();
  oddProvider.closeAllConnections();
  await new Promise<void>((resolve) =>
    oddProvider.close(() => {
      resolve();
    }),
  );
});

test('the right client and secret: a Bearer token with its expiry and scopes, then the export is sent with it', async () => {
  const { report, logged } = await doctor({});
  assert.deepEqual(
    report.steps.map((s) => [s.step, s.outcome]),
    [
      ['dns', 'pass'],
      ['tcp', 'pass'],
      ['tls', 'skip'],
      ['protocol', 'pass'],
      ['token', 'pass'],
      ['auth', 'pass'],
      ['size', 'pass'],
    ],
    JSON.stringify(report.steps, null, 2),
  );
  const token = step(report, 'token').detail;
  assert.match(
    token,
    /\/token gave client `edge-1` a Bearer token, expires in 300 s, scopes granted: telemetry\.write/,
  );
  const sent = gateway.calls.at(-1)?.metadata.authorization ?? '';
  assert.match(sent, /^Bearer \S{20,}$/);
  assertHidden(report, logged, [CLIENT.clientSecret, sent.slice('Bearer '.length)]);
});

test('a wrong secret: invalid_client, said as an unknown client or a wrong secret; auth is skipped', async () => {
  const { report, logged } = await doctor({ secret: WRONG_SECRET });
  const token = tokenFails(report, 'invalid_client');
  assert.equal(token.cause, 'the provider does not know client `edge-1` or the secret is wrong');
  assert.match(token.detail, /refused client "edge-1": invalid_client/);
  assert.match(token.fix ?? '', /extensions\.oauth2client\.client_secret/);
  assertHidden(report, logged, [WRONG_SECRET]);
});

test('an unknown client: invalid_client naming that client', async () => {
  const { report, logged } = await doctor({ clientId: 'edge-unknown' });
  const token = tokenFails(report, 'invalid_client');
  assert.equal(token.cause, 'the provider does not know client `edge-unknown` or the secret is wrong');
  assertHidden(report, logged, [CLIENT.clientSecret]);
});

test('a scope the provider does not define: the answer names no scope, and the report says so', async () => {
  const { report } = await doctor({ scopes: '[telemetry.admin]' });
  // oidc-provider drops an unknown scope instead of answering invalid_scope (token-failure.test.ts has that answer).
  assert.match(
    step(report, 'token').detail,
    /a Bearer token, expires in 300 s, the provider named no scopes \(asked: telemetry\.admin\)/,
  );
});

test('a token URL where nothing listens: the provider is unreachable', async () => {
  const port = await freePort();
  const { report, logged } = await doctor({ tokenUrl: `https://127.0.0.1:${String(port)}/token` });
  const token = tokenFails(report, 'token-unreachable');
  assert.match(token.detail, /cannot reach the token endpoint https:\/\/127\.0\.0\.1:\d+\/token/);
  assert.match(token.cause ?? '', /does not accept connections from here \(ECONNREFUSED\)/);
  assertHidden(report, logged, [CLIENT.clientSecret]);
});

test('a provider certificate not trusted by the tls block: the TLS hint names tls.ca_file', async () => {
  const { report } = await doctor({ tls: '{}' });
  const token = tokenFails(report, 'token-tls');
  assert.match(
    token.fix ?? '',
    /set extensions\.oauth2client\.tls\.ca_file to the CA that signed the provider's certificate/,
  );
});

test('answers that are no token: not JSON, JSON without access_token, a 404', async () => {
  const base = `http://127.0.0.1:${String((oddProvider.address() as AddressInfo).port)}`;
  const html = tokenFails((await doctor({ tokenUrl: `${base}/html` })).report, 'token-not-json');
  assert.match(html.detail, /answered 200 with something that is not JSON/);
  const empty = tokenFails((await doctor({ tokenUrl: `${base}/empty` })).report, 'token-no-token');
  assert.match(empty.detail, /JSON that holds no access_token/);
  const missing = tokenFails((await doctor({ tokenUrl: `${base}/nowhere` })).report, 'token-http-404');
  assert.match(missing.cause ?? '', /answered HTTP 404: it is not the provider's token endpoint/);
});
