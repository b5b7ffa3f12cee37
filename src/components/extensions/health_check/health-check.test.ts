// The health endpoint as a probe sees it: 503 until the pipelines are ready, 200 with the status of
// every pipeline and component, 503 from the start of shutdown, 500 while exporters fail more than
// check_collector_pipeline allows; `path`, `response_body` and `tls` as in Go's healthcheckextension.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import type { ComponentStatus, StatusEvent } from '../../../contracts/component.ts';
import type { Kind } from '../../../contracts/signal.ts';
import { validateConfig } from '../../../config/validate.ts';
import { fromPlain } from '../../../config/node.ts';
import { testSettings } from '../../../../test/helpers/fakes.ts';
import { selfSignedCert } from '../../../../test/helpers/tls.ts';
import { HealthCheckConfigSchema, validateHealthCheckConfig, type HealthCheckConfig } from './config.ts';
import { HealthCheck, pathMatches } from './health-check.ts';
import { aggregate, goDuration } from './status-document.ts';

function config(raw: Record<string, unknown>): HealthCheckConfig {
  const result = validateConfig(
    HealthCheckConfigSchema,
    fromPlain({ endpoint: '127.0.0.1:0', ...raw }, undefined),
    'h',
    undefined,
  );
  assert.deepEqual(result.issues, []);
  return result.value as HealthCheckConfig;
}

async function started(raw: Record<string, unknown> = {}): Promise<HealthCheck> {
  const h = new HealthCheck(testSettings('extension', 'health_check'), config(raw));
  await h.start();
  return h;
}

async function probe(h: HealthCheck, path = '/'): Promise<{ code: number; body: string }> {
  const res = await fetch(`http://${h.address}${path}`);
  return { code: res.status, body: await res.text() };
}

function event(kind: Kind, id: string, pipelines: string[], status: ComponentStatus, error?: Error): StatusEvent {
  return { instance: { kind, id, pipelines }, status, timeMs: Date.now(), ...(error ? { error } : {}) };
}

/** The events of a collector with one traces pipeline that has started. */
function startAll(h: HealthCheck): void {
  h.componentStatusChanged(event('extension', 'health_check', [], 'ok'));
  h.componentStatusChanged(event('exporter', 'otlp', ['traces'], 'ok'));
  h.componentStatusChanged(event('processor', 'batch', ['traces'], 'ok'));
  h.componentStatusChanged(event('receiver', 'otlp', ['traces', 'logs'], 'starting'));
}

test('503 until every pipeline has started, then 200 with each pipeline and component', async () => {
  const h = await started();
  try {
    startAll(h);
    const before = await probe(h);
    assert.equal(before.code, 503);
    const doc = JSON.parse(before.body) as Record<string, any>;
    assert.equal(doc['status'], 'Server not available');
    assert.equal(doc['upSince'], '0001-01-01T00:00:00Z', "Go's zero time until ready");
    assert.equal(doc['uptime'], '');
    assert.equal(doc['components']['pipeline:traces']['status'], 'StatusStarting');

    h.componentStatusChanged(event('receiver', 'otlp', ['traces', 'logs'], 'ok'));
    h.pipelinesReady();
    const after = await probe(h);
    assert.equal(after.code, 200);
    const ready = JSON.parse(after.body) as Record<string, any>;
    assert.equal(ready['status'], 'Server available');
    assert.equal(ready['healthy'], true);
    assert.equal(ready['collector_status'], 'StatusOK');
    assert.match(ready['uptime'], /^\d+(\.\d+)?m?s$/);
    assert.deepEqual(Object.keys(ready['components']).sort(), ['extensions', 'pipeline:logs', 'pipeline:traces']);
    assert.deepEqual(Object.keys(ready['components']['pipeline:traces']['components']).sort(), [
      'exporter:otlp',
      'processor:batch',
      'receiver:otlp',
    ]);
    assert.equal(ready['components']['pipeline:logs']['components']['receiver:otlp']['status'], 'StatusOK');

    h.pipelinesStopping();
    assert.equal((await probe(h)).code, 503, 'unhealthy from the start of shutdown');
  } finally {
    await h.shutdown();
  }
});

test('a component error shows in its pipeline, with its message', async () => {
  const h = await started();
  try {
    startAll(h);
    h.pipelinesReady();
    h.componentStatusChanged(event('exporter', 'otlp', ['traces'], 'permanent_error', new Error('bad creds')));
    const doc = JSON.parse((await probe(h)).body) as Record<string, any>;
    const traces = doc['components']['pipeline:traces'];
    assert.equal(traces['healthy'], false);
    assert.equal(traces['status'], 'StatusPermanentError');
    assert.equal(traces['components']['exporter:otlp']['error'], 'bad creds');
  } finally {
    await h.shutdown();
  }
});

test('path: only the configured path answers; response_body replaces the JSON', async () => {
  const h = await started({ path: '/health/status', response_body: { healthy: 'up', unhealthy: 'down' } });
  try {
    assert.deepEqual(await probe(h, '/health/status'), { code: 503, body: 'down' });
    h.pipelinesReady();
    assert.deepEqual(await probe(h, '/health/status?x=1'), { code: 200, body: 'up' });
    assert.equal((await probe(h, '/')).code, 404);
    assert.equal((await probe(h, '/health/status/more')).code, 404);
  } finally {
    await h.shutdown();
  }
});

test('check_collector_pipeline: 500 while exporter failures in the interval exceed the threshold', async () => {
  const h = await started({
    check_collector_pipeline: { enabled: true, interval: '5m', exporter_failure_threshold: 2 },
  });
  try {
    h.pipelinesReady();
    for (let i = 0; i < 2; i++) h.componentStatusChanged(event('exporter', 'otlp', ['traces'], 'recoverable_error'));
    assert.equal((await probe(h)).code, 200, 'at the threshold: still healthy');
    h.componentStatusChanged(event('receiver', 'otlp', ['traces'], 'recoverable_error'));
    assert.equal((await probe(h)).code, 200, 'only exporter failures count');
    h.componentStatusChanged(event('exporter', 'otlp', ['traces'], 'recoverable_error'));
    const failing = await probe(h);
    assert.equal(failing.code, 500);
    assert.equal((JSON.parse(failing.body) as Record<string, unknown>)['status'], 'Server not available');
  } finally {
    await h.shutdown();
  }
});

test('check_collector_pipeline: failures older than the interval no longer count', async () => {
  const h = await started({
    check_collector_pipeline: { enabled: true, interval: '1m', exporter_failure_threshold: 0 },
  });
  try {
    h.pipelinesReady();
    h.componentStatusChanged({
      ...event('exporter', 'otlp', ['traces'], 'recoverable_error'),
      timeMs: Date.now() - 61_000,
    });
    assert.equal((await probe(h)).code, 200);
  } finally {
    await h.shutdown();
  }
});

test('tls: the endpoint serves HTTPS with the configured certificate', async () => {
  const cert = selfSignedCert();
  const h = await started({ tls: { cert_file: cert.certFile, key_file: cert.keyFile } });
  try {
    h.pipelinesReady();
    const code = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpsRequest(`https://${h.address}/`, { ca: cert.cert }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject).end();
    });
    assert.equal(code, 200);
  } finally {
    await h.shutdown();
  }
});

test('validate: path must start with /, auth is refused, the interval must be positive', () => {
  const base = config({});
  assert.deepEqual(validateHealthCheckConfig(base), []);
  const bad = {
    ...base,
    path: 'health',
    auth: { authenticator: 'basicauth' },
    check_collector_pipeline: { enabled: true, interval: 0, exporter_failure_threshold: 5 },
  };
  assert.deepEqual(
    validateHealthCheckConfig(bad).map(([p]) => p),
    ['path', 'auth', 'check_collector_pipeline.interval'],
  );
  assert.equal(base.endpoint, '127.0.0.1:0');
  const defaults = validateConfig(HealthCheckConfigSchema, undefined, 'h', undefined).value as HealthCheckConfig;
  assert.equal(defaults.endpoint, 'localhost:13133');
  assert.equal(defaults.path, '/');
});

test('ServeMux path matching, aggregation and Go durations', () => {
  assert.equal(pathMatches('/', '/anything'), true);
  assert.equal(pathMatches('/h/', '/h/x'), true);
  assert.equal(pathMatches('/h', '/h/x'), false);
  assert.equal(aggregate([]), 'starting');
  assert.equal(aggregate(['ok', 'ok']), 'ok');
  assert.equal(aggregate(['ok', 'stopped']), 'stopping');
  assert.equal(aggregate(['ok', 'recoverable_error', 'starting']), 'recoverable_error');
  assert.equal(goDuration(250), '250ms');
  assert.equal(goDuration(1500), '1.5s');
  assert.equal(goDuration(3_723_500), '1h2m3.5s');
});
