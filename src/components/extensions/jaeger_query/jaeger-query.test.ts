import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJaegerQueryFactory, isExposed, JaegerQuery } from './factory.ts';
import { bearerTokenAuthFactory } from '../bearertokenauth/factory.ts';
import type { BearerTokenAuthConfig } from '../bearertokenauth/config.ts';
import { parseEndpoint } from '../../../transport/http-server-listen.ts';
import { DEFAULT_QUERY_LIMITS } from '../../../backend/api/query-limits.ts';
import { jaegerStorageFactory } from '../jaeger_storage/factory.ts';
import { jaegerStorageExporterFactory } from '../../exporters/jaeger_storage_exporter/factory.ts';
import { RecordingLogger, testHost, testSettings } from '../../../../test/helpers/fakes.ts';
import { selfSignedCert } from '../../../../test/helpers/tls.ts';
import { get as httpsGet } from 'node:https';
import { validateConfig } from '../../../config/validate.ts';
import { fromPlain } from '../../../config/node.ts';
import { JaegerQueryConfigSchema, queryLimitsOf } from './config.ts';
import { traceRequest, tid, sid } from '../../../../test/helpers/traces.ts';
import type { JaegerQueryConfig } from './config.ts';

function queryConfig(over: Partial<JaegerQueryConfig> = {}): JaegerQueryConfig {
  return {
    storage: { traces: 'main', traces_archive: 'archive' },
    ui: { log_access: false },
    base_path: '/',
    max_clock_skew_adjust: 0,
    enable_tracing: false,
    http: {
      endpoint: '127.0.0.1:0',
      transport: 'tcp',
      max_request_body_size: 1 << 20,
      include_metadata: false,
      compression_algorithms: [''],
    },
    limits: { max_search_depth: 1500, max_response_size_mib: 8, max_concurrent_queries: 8, max_url_length: 8192 },
    ...over,
  } as JaegerQueryConfig;
}

test('the exporter writes into the store the query extension reads; the UI hook serves non-API paths', async () => {
  const storage = jaegerStorageFactory.create(testSettings('extension', 'jaeger_storage'), {
    backends: { main: { memory: { max_traces: 10 } }, archive: { memory: {} } },
  });
  const host = testHost({ jaeger_storage: storage });
  const exporterSettings = testSettings('exporter', 'jaeger_storage_exporter');
  const exporter = jaegerStorageExporterFactory.create(exporterSettings, { trace_storage: 'main' }, 'traces');
  const seen: string[] = [];
  const factory = createJaegerQueryFactory({
    serveUi: (req, res) => {
      seen.push(req.url ?? '');
      if (req.url !== '/search') return false;
      res.end('<html>ui</html>');
      return true;
    },
  });
  const query = factory.create(testSettings('extension', 'jaeger_query'), queryConfig());
  assert.ok(query instanceof JaegerQuery);
  await storage.start(host);
  await exporter.start(host);
  await query.start(host);
  try {
    const request = traceRequest([{ traceId: tid(1), spanId: sid(1), service: 'shop' }]);
    const result = await exporter.consume({ signal: 'traces', bytes: request, items: 1, context: {} });
    assert.equal(result.status, 'success');
    const base = `http://${query.address}`;
    const services = (await (await fetch(`${base}/api/services`)).json()) as { data: string[] };
    assert.deepEqual(services.data, ['shop']);
    assert.equal(await (await fetch(`${base}/search`)).text(), '<html>ui</html>');
    assert.equal((await fetch(`${base}/other`)).status, 404);
    assert.deepEqual(seen, ['/search', '/other']);
    // Archive: copy, then read back after the primary store lost it.
    const archived = await fetch(`${base}/api/archive/${tid(1)}`, { method: 'POST' });
    assert.equal(archived.status, 200);
    for (let i = 2; i < 20; i++)
      await exporter.consume({
        signal: 'traces',
        bytes: traceRequest([{ traceId: tid(i), spanId: sid(i) }]),
        items: 1,
        context: {},
      });
    const back = await fetch(`${base}/api/traces/${tid(1)}`);
    assert.equal(back.status, 200);
    assert.equal(((await back.json()) as { data: { traceID: string }[] }).data[0]?.traceID, tid(1));
    const bad = await exporter.consume({ signal: 'traces', bytes: Buffer.from([0x0a, 0x7f]), items: 2, context: {} });
    assert.equal(bad.status, 'failure');
    // The exporter metrics the README lists: 19 spans stored, the malformed payload's 2 refused for good.
    const telemetry = exporterSettings.telemetry;
    assert.equal(telemetry.get('otelcol_exporter_sent_spans', { exporter: 'jaeger_storage_exporter' }), 19);
    assert.equal(
      telemetry.get('otelcol_exporter_send_failed_spans', {
        exporter: 'jaeger_storage_exporter',
        'error.type': 'InvalidArgument',
        'error.permanent': 'true',
      }),
      2,
    );
  } finally {
    await query.shutdown();
    await exporter.shutdown();
    await storage.shutdown();
  }
});

test('a missing storage backend fails the start with a message naming it', async () => {
  const storage = jaegerStorageFactory.create(testSettings('extension', 'jaeger_storage'), {
    backends: { main: { memory: {} } },
  });
  const query = createJaegerQueryFactory().create(
    testSettings('extension', 'jaeger_query'),
    queryConfig({ storage: { traces: 'nope' } }),
  );
  await assert.rejects(
    query.start(testHost({ jaeger_storage: storage })),
    /storage.traces "nope" is not a backend of jaeger_storage \(backends: main\)/,
  );
  await assert.rejects(query.start(testHost({})), /needs the jaeger_storage extension/);
  await query.shutdown();
});

test('the query endpoint serves over TLS with the http.tls block', async () => {
  const pair = selfSignedCert();
  const result = validateConfig(
    JaegerQueryConfigSchema,
    fromPlain(
      {
        storage: { traces: 'main' },
        http: { endpoint: '127.0.0.1:0', tls: { cert_file: pair.certFile, key_file: pair.keyFile } },
      },
      undefined,
    ),
    'extensions.jaeger_query',
    undefined,
  );
  assert.deepEqual(
    result.issues.filter((i) => i.severity === 'error'),
    [],
  );
  const storage = jaegerStorageFactory.create(testSettings('extension', 'jaeger_storage'), {
    backends: { main: { memory: {} } },
  });
  const logger = new RecordingLogger();
  const query = createJaegerQueryFactory().create(
    testSettings('extension', 'jaeger_query', undefined, logger),
    result.value as JaegerQueryConfig,
  );
  assert.ok(query instanceof JaegerQuery);
  await query.start(testHost({ jaeger_storage: storage }));
  try {
    const port = query.address.split(':').pop() ?? '';
    const body = await new Promise<string>((resolve, reject) => {
      httpsGet(`https://localhost:${port}/api/services`, { ca: pair.cert }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          resolve(text);
        });
      }).on('error', reject);
    });
    assert.deepEqual(JSON.parse(body), { data: [], total: 0, limit: 0, offset: 0, errors: null });
    assert.ok(logger.lines.some((l) => l.msg.startsWith('Jaeger query API and UI at https://')));
  } finally {
    await query.shutdown();
  }
});

test('http.auth.authenticator guards the API and the UI: 401 with Jaeger’s error body without the token, 200 with it', async () => {
  const tokenConfig = validateConfig(
    bearerTokenAuthFactory.configSchema,
    fromPlain({ token: 's3cret-token' }, undefined),
    'extensions.bearertokenauth',
    undefined,
  );
  const auth = bearerTokenAuthFactory.create(
    testSettings('extension', 'bearertokenauth'),
    tokenConfig.value as BearerTokenAuthConfig,
  );
  const storage = jaegerStorageFactory.create(testSettings('extension', 'jaeger_storage'), {
    backends: { main: { memory: {} } },
  });
  const host = testHost({ jaeger_storage: storage, bearertokenauth: auth });
  const logger = new RecordingLogger();
  const cfg = queryConfig({ storage: { traces: 'main' } });
  const query = createJaegerQueryFactory({
    serveUi: (_req, res) => {
      res.end('ui');
      return true;
    },
  }).create(testSettings('extension', 'jaeger_query', undefined, logger), {
    ...cfg,
    http: { ...cfg.http, auth: { authenticator: 'bearertokenauth' } },
  });
  assert.ok(query instanceof JaegerQuery);
  await auth.start(host);
  await storage.start(host);
  await query.start(host);
  try {
    const base = `http://${query.address}`;
    for (const path of ['/api/services', '/search']) {
      const refused = await fetch(`${base}${path}`);
      assert.equal(refused.status, 401, path);
      const body = (await refused.json()) as { data: null; errors: { code: number; msg: string }[] };
      assert.equal(body.data, null);
      assert.equal(body.errors[0]?.code, 401);
      assert.ok(!JSON.stringify(body).includes('s3cret'));
    }
    const wrong = await fetch(`${base}/api/services`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    const ok = await fetch(`${base}/api/services`, { headers: { authorization: 'Bearer s3cret-token' } });
    assert.equal(ok.status, 200);
    assert.equal(
      await (await fetch(`${base}/search`, { headers: { authorization: 'Bearer s3cret-token' } })).text(),
      'ui',
    );
    // Bound to loopback: no warning about an open endpoint.
    assert.ok(!logger.lines.some((l) => l.level === 'warn'));
  } finally {
    await query.shutdown();
    await storage.shutdown();
    await auth.shutdown();
  }
});

test('an authenticator that is missing or of the wrong role fails the start, naming the reference', async () => {
  const storage = jaegerStorageFactory.create(testSettings('extension', 'jaeger_storage'), {
    backends: { main: { memory: {} } },
  });
  const cfg = queryConfig({ storage: { traces: 'main' } });
  const query = createJaegerQueryFactory().create(testSettings('extension', 'jaeger_query'), {
    ...cfg,
    http: { ...cfg.http, auth: { authenticator: 'nope' } },
  });
  await assert.rejects(
    query.start(testHost({ jaeger_storage: storage })),
    /extensions\.jaeger_query\.http\.auth\.authenticator: failed to resolve authenticator "nope"/,
  );
  await query.shutdown();
});

test('an endpoint beyond loopback without auth is exposed (the start warns); loopback and unix sockets are not', () => {
  const exposed = (endpoint: string, transport = 'tcp') => {
    const target = parseEndpoint(endpoint, transport);
    assert.ok(typeof target !== 'string');
    return isExposed(target);
  };
  assert.equal(exposed('0.0.0.0:16686'), true);
  assert.equal(exposed(':16686'), true);
  assert.equal(exposed('[::]:16686'), true);
  assert.equal(exposed('10.1.2.3:16686'), true);
  assert.equal(exposed('localhost:16686'), false);
  assert.equal(exposed('127.0.0.1:16686'), false);
  assert.equal(exposed('[::1]:16686'), false);
  assert.equal(exposed('/tmp/q.sock', 'unix'), false);
});

test('the limits block gives the query API its bounds', () => {
  const cfg = queryConfig({
    limits: { max_search_depth: 50, max_response_size_mib: 0.5, max_concurrent_queries: 3, max_url_length: 4096 },
  });
  assert.deepEqual(queryLimitsOf(cfg), {
    ...DEFAULT_QUERY_LIMITS,
    maxSearchDepth: 50,
    maxResponseBytes: 512 * 1024,
    maxConcurrent: 3,
    maxUrlBytes: 4096,
  });
});
