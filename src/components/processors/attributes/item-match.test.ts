import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordingConsumer, testSettings } from '../../../../test/helpers/fakes.ts';
import { decodeRequest, encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import type { Signal } from '../../../contracts/signal.ts';
import type { AttributesConfig } from './config.ts';
import { attributesFactory } from './factory.ts';
import type { MatchProperties } from './match-config.ts';

type Obj = Record<string, any>;
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: String(v) } });
const HIT = [{ key: 'hit', value: true, action: 'insert' }];

/** Names of the items that got `hit`, after the processor ran with `match` on `request`. */
async function hits(
  signal: Signal,
  match: Pick<AttributesConfig, 'include' | 'exclude'>,
  request: Obj,
): Promise<string[]> {
  const next = new RecordingConsumer();
  const proc = attributesFactory.create(
    testSettings('processor', 'attributes'),
    { ...match, actions: HIT },
    signal,
    next,
  );
  await proc.consume({ signal, bytes: encodeRequest(signal, request), items: 1, context: {} });
  const out = decodeRequest(signal, next.payloads[0]!.bytes);
  const names: string[] = [];
  const hit = (attrs: Obj[] | undefined) => (attrs ?? []).some((a) => a.key === 'hit');
  if (signal === 'traces')
    for (const rs of out.resourceSpans)
      for (const ss of rs.scopeSpans) for (const s of ss.spans) if (hit(s.attributes)) names.push(s.name);
  if (signal === 'logs')
    for (const rl of out.resourceLogs)
      for (const sl of rl.scopeLogs) for (const l of sl.logRecords) if (hit(l.attributes)) names.push(l.eventName);
  if (signal === 'metrics')
    for (const rm of out.resourceMetrics)
      for (const sm of rm.scopeMetrics)
        for (const m of sm.metrics) if (m.gauge.dataPoints.every((p: Obj) => hit(p.attributes))) names.push(m.name);
  return names;
}

// Resource 1: service api, env prod, scope http 1.0 (spans a: SERVER GET, b: CLIENT db) and scope bare (c).
// Resource 2: no service.name (span d).
const TRACES = {
  resourceSpans: [
    {
      resource: { attributes: [str('service.name', 'api'), str('env', 'prod')] },
      scopeSpans: [
        {
          scope: { name: 'io.opentelemetry.http', version: '1.0' },
          spans: [
            { name: 'GET /a', kind: 2, attributes: [str('http.method', 'GET'), int('count', 3)] },
            {
              name: 'db query',
              kind: 3,
              attributes: [str('db.system', 'postgres'), { key: 'ratio', value: { doubleValue: 1e-7 } }],
            },
          ],
        },
        { scope: { name: 'bare' }, spans: [{ name: 'GET /c', kind: 1 }] },
      ],
    },
    { scopeSpans: [{ spans: [{ name: 'd', kind: 4, attributes: [int('count', 3)] }] }] },
  ],
};

const S = (p: MatchProperties): MatchProperties => ({ match_type: 'strict', ...p });
const R = (p: MatchProperties): MatchProperties => ({ match_type: 'regexp', ...p });

const SPAN_RULES: [string, Pick<AttributesConfig, 'include' | 'exclude'>, string[]][] = [
  ['no include/exclude: every span', {}, ['GET /a', 'db query', 'GET /c', 'd']],
  ['services strict', { include: S({ services: ['api'] }) }, ['GET /a', 'db query', 'GET /c']],
  ['services regexp (a search, not anchored)', { include: R({ services: ['p'] }) }, ['GET /a', 'db query', 'GET /c']],
  [
    'a resource without service.name is "<nil-service-name>"',
    { include: S({ services: ['<nil-service-name>'] }) },
    ['d'],
  ],
  ['span_names strict', { include: S({ span_names: ['GET /a'] }) }, ['GET /a']],
  ['span_names regexp', { include: R({ span_names: ['^GET'] }) }, ['GET /a', 'GET /c']],
  ['span_kinds strict', { include: S({ span_kinds: ['SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER'] }) }, ['db query', 'd']],
  ['span_kinds regexp', { include: R({ span_kinds: ['SERVER$'] }) }, ['GET /a']],
  ['attributes strict value', { include: S({ attributes: [{ key: 'http.method', value: 'GET' }] }) }, ['GET /a']],
  ['attributes key only', { include: S({ attributes: [{ key: 'db.system' }] }) }, ['db query']],
  ['attributes strict int', { include: S({ attributes: [{ key: 'count', value: 3 }] }) }, ['GET /a', 'd']],
  [
    'attributes strict: a string never equals an int',
    { include: S({ attributes: [{ key: 'count', value: '3' }] }) },
    [],
  ],
  ['attributes regexp on an int', { include: R({ attributes: [{ key: 'count', value: '^3$' }] }) }, ['GET /a', 'd']],
  [
    'attributes regexp on a double (no exponent)',
    { include: R({ attributes: [{ key: 'ratio', value: '^0\\.0000001$' }] }) },
    ['db query'],
  ],
  [
    'attributes: all must match',
    { include: S({ attributes: [{ key: 'count', value: 3 }, { key: 'http.method' }] }) },
    ['GET /a'],
  ],
  [
    'resources strict',
    { include: S({ resources: [{ key: 'env', value: 'prod' }] }) },
    ['GET /a', 'db query', 'GET /c'],
  ],
  ['resources regexp', { include: R({ resources: [{ key: 'env', value: 'pro' }] }) }, ['GET /a', 'db query', 'GET /c']],
  ['libraries by name', { include: S({ libraries: [{ name: 'io.opentelemetry.http' }] }) }, ['GET /a', 'db query']],
  [
    'libraries by name and version',
    { include: S({ libraries: [{ name: 'io.opentelemetry.http', version: '2.0' }] }) },
    [],
  ],
  [
    'libraries: with strict, version "" matches only an empty version',
    {
      include: S({ libraries: [{ name: 'bare', version: '' }] }),
      exclude: S({ libraries: [{ name: 'io.opentelemetry.http', version: '' }] }),
    },
    ['GET /c'],
  ],
  [
    'libraries: with regexp, version "" matches any version',
    { include: R({ libraries: [{ name: 'http', version: '' }] }) },
    ['GET /a', 'db query'],
  ],
  ['exclude only', { exclude: S({ span_names: ['GET /a', 'd'] }) }, ['db query', 'GET /c']],
  [
    'include then exclude',
    { include: S({ services: ['api'] }), exclude: S({ span_kinds: ['SPAN_KIND_CLIENT'] }) },
    ['GET /a', 'GET /c'],
  ],
  [
    'every property of a block must match',
    { include: R({ services: ['api'], span_names: ['^GET'], libraries: [{ name: 'http' }] }) },
    ['GET /a'],
  ],
];

for (const [name, match, expected] of SPAN_RULES) {
  test(`spans: ${name}`, async () => {
    assert.deepEqual(await hits('traces', match, TRACES), expected);
  });
}

const LOGS = {
  resourceLogs: [
    {
      resource: { attributes: [str('service.name', 'api')] },
      scopeLogs: [
        {
          scope: { name: 'app' },
          logRecords: [
            {
              eventName: 'info',
              severityNumber: 9,
              severityText: 'INFO',
              body: { stringValue: 'user login ok' },
              attributes: [str('user', 'bob')],
            },
            { eventName: 'error', severityNumber: 17, severityText: 'ERROR', body: { intValue: '42' } },
            { eventName: 'undefined', body: { stringValue: 'no severity' } },
          ],
        },
      ],
    },
  ],
};

const LOG_RULES: [string, Pick<AttributesConfig, 'include' | 'exclude'>, string[]][] = [
  ['log_bodies regexp', { include: R({ log_bodies: ['login'] }) }, ['info']],
  ['log_bodies strict on a non-string body (its string form)', { include: S({ log_bodies: ['42'] }) }, ['error']],
  ['log_severity_texts strict', { include: S({ log_severity_texts: ['ERROR'] }) }, ['error']],
  ['log_severity_number min', { include: { log_severity_number: { min: 'WARN' } } }, ['error']],
  [
    'log_severity_number with match_undefined',
    { include: { log_severity_number: { min: 9, match_undefined: true } } },
    ['info', 'error', 'undefined'],
  ],
  ['attributes', { include: S({ attributes: [{ key: 'user', value: 'bob' }] }) }, ['info']],
  ['resources', { exclude: S({ resources: [{ key: 'service.name', value: 'api' }] }) }, []],
  ['libraries', { include: S({ libraries: [{ name: 'app' }] }) }, ['info', 'error', 'undefined']],
];

for (const [name, match, expected] of LOG_RULES) {
  test(`logs: ${name}`, async () => {
    assert.deepEqual(await hits('logs', match, LOGS), expected);
  });
}

const point = (n: number) => ({ asInt: String(n), attributes: [int('n', n)] });
const METRICS = {
  resourceMetrics: [
    {
      resource: { attributes: [str('service.name', 'api')] },
      scopeMetrics: [
        {
          metrics: [
            { name: 'http.requests', gauge: { dataPoints: [point(1), point(2)] } },
            { name: 'db.calls', gauge: { dataPoints: [point(3)] } },
          ],
        },
      ],
    },
  ],
};

const METRIC_RULES: [string, Pick<AttributesConfig, 'include' | 'exclude'>, string[]][] = [
  ['every data point of every metric', {}, ['http.requests', 'db.calls']],
  ['metric_names strict', { include: S({ metric_names: ['db.calls'] }) }, ['db.calls']],
  ['metric_names regexp exclude', { exclude: R({ metric_names: ['^http'] }) }, ['db.calls']],
  [
    'resources alone do not filter metrics (as in Go)',
    { include: S({ resources: [{ key: 'x' }] }) },
    ['http.requests', 'db.calls'],
  ],
];

for (const [name, match, expected] of METRIC_RULES) {
  test(`metrics: ${name}`, async () => {
    assert.deepEqual(await hits('metrics', match, METRICS), expected);
  });
}
