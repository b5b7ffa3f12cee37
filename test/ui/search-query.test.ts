// The search form ⇄ URL ⇄ query API translation of the UI (ui/src/search-query.ts), without a DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tracesUrl } from '../../ui/src/api.ts';
import { formFromParams, formToParams, parseTags, toQuery } from '../../ui/src/search-query.ts';

test('parseTags reads logfmt, quoted values and JSON', () => {
  assert.deepEqual(parseTags(''), {});
  assert.deepEqual(parseTags('http.status_code=500 error=true'), { 'http.status_code': '500', error: 'true' });
  assert.deepEqual(parseTags('k8s.cluster.name="edge eu" x=""'), { 'k8s.cluster.name': 'edge eu', x: '' });
  assert.deepEqual(parseTags('{"a": 1}'), { a: '1' });
  assert.throws(() => parseTags('novalue'), /key=value/);
  assert.throws(() => parseTags('[1]'), /key=value/);
});

test('toQuery turns a lookback into start/end in microseconds', () => {
  const form = formFromParams(new URLSearchParams('service=web&lookback=2h&limit=5&tags=a%3Db&minDuration=10ms'));
  const q = toQuery(form, 1_700_000_000_000);
  assert.equal(q.endUs, 1_700_000_000_000_000);
  assert.equal(q.endUs - q.startUs, 2 * 3600 * 1e6);
  const url = new URL(tracesUrl(q), 'http://x');
  assert.equal(url.pathname, '/api/traces');
  assert.equal(url.searchParams.get('tags'), '{"a":"b"}');
  assert.equal(url.searchParams.get('limit'), '5');
  assert.equal(url.searchParams.get('minDuration'), '10ms');
  assert.equal(url.searchParams.get('lookback'), '2h');
  assert.equal(url.searchParams.has('operation'), false);
});

test('toQuery refuses a missing service, a bad limit and an empty custom range', () => {
  const base = formFromParams(new URLSearchParams('service=web'));
  assert.throws(() => toQuery({ ...base, service: '' }, 0), /service/);
  assert.throws(() => toQuery({ ...base, limit: '0' }, 0), /Limit/);
  assert.throws(() => toQuery({ ...base, lookback: 'custom' }, 0), /start and end/);
});

test('formToParams drops empty fields and custom times unless the range is custom', () => {
  const form = formFromParams(new URLSearchParams('service=web&start=2026-01-01T00:00'));
  assert.equal(formToParams(form).toString(), 'service=web&lookback=1h&limit=20');
  assert.equal(formToParams({ ...form, lookback: 'custom' }).get('start'), '2026-01-01T00:00');
});
