// Component and pipeline ids follow the Go collector's rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseComponentId, parsePipelineId } from './component-id.ts';

const good: [text: string, type: string, name: string, id: string][] = [
  ['otlp', 'otlp', '', 'otlp'],
  ['otlp/jaeger', 'otlp', 'jaeger', 'otlp/jaeger'],
  [' otlp / a.b-c ', 'otlp', 'a.b-c', 'otlp/a.b-c'],
  ['memory_limiter/x/y', 'memory_limiter', 'x/y', 'memory_limiter/x/y'],
  ['otlp/édge', 'otlp', 'édge', 'otlp/édge'],
];
for (const [text, type, name, id] of good) {
  test(`id ${JSON.stringify(text)} is valid`, () => {
    assert.deepEqual(parseComponentId(text), { ok: true, id: { type, name, id } });
  });
}

const bad: [text: string, message: RegExp][] = [
  ['', /must not be empty/],
  ['/x', /the part before \/ must not be empty/],
  ['otlp/', /the part after \/ must not be empty/],
  ['otlp/a b', /invalid character\(s\) in name/],
  ['otlp/a+b', /invalid character\(s\) in name/], // + is a symbol
  ['otlp-http', /invalid character\(s\) in type "otlp-http"/],
  ['_otlp', /invalid character\(s\) in type/],
  [`a${'b'.repeat(63)}`, /invalid character\(s\) in type/],
  [`otlp/${'n'.repeat(1025)}`, /longer than 1024/],
];
for (const [text, message] of bad) {
  test(`id ${JSON.stringify(text.slice(0, 20))} is rejected`, () => {
    const r = parseComponentId(text);
    assert.ok(!r.ok);
    assert.match(r.message, message);
  });
}

test('pipeline ids are a signal with an optional name', () => {
  assert.deepEqual(parsePipelineId('traces/edge'), { ok: true, id: 'traces/edge', signal: 'traces', name: 'edge' });
  assert.deepEqual(parsePipelineId('logs'), { ok: true, id: 'logs', signal: 'logs', name: '' });
  assert.deepEqual(parsePipelineId('profiles'), {
    ok: false,
    message: 'unknown signal "profiles" in pipeline id "profiles"',
    type: 'profiles',
  });
  assert.equal(parsePipelineId('metrics/').ok, false);
});
