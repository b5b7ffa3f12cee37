import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTraceState, serializeTraceState } from './tracestate.ts';

test('valid tracestates parse; ot= is written first, rv then th', () => {
  const rows: [input: string, written: string][] = [
    ['', ''],
    ['ot=th:8', 'ot=th:8'],
    ['ot=th:8;rv:90000000000000', 'ot=rv:90000000000000;th:8'],
    ['a=1,ot=rv:90000000000000,b=2', 'ot=rv:90000000000000,a=1,b=2'],
    [' a=1 ,, b=x y ', 'a=1,b=x y'],
    ['t@s=v,ot=x:y;th:c', 'ot=th:c;x:y,t@s=v'],
  ];
  for (const [input, written] of rows) {
    const p = parseTraceState(input);
    assert.equal(p.error, undefined, input);
    assert.equal(serializeTraceState(p.state), written, input);
  }
});

test('invalid tracestates are errors, as in Go', () => {
  const rows: [input: string, message: RegExp][] = [
    ['A=1', /invalid syntax/],
    ['a=', /invalid syntax/],
    ['a=b=c=', /invalid syntax/],
    ['ot=th:8;', /invalid syntax/],
    ['ot=TH:8', /invalid syntax/],
    ['ot=rv:123', /r-value must have 14 hex digits/],
    ['ot=th:xyz', /invalid syntax/],
    [`a=${'x'.repeat(1030)}`, /invalid tracestate size/],
    [Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(','), /invalid tracestate size/],
    [`${'t'.repeat(242)}@s=v`, /invalid tracestate size/],
    [`t@${'s'.repeat(15)}=v`, /invalid tracestate size/],
    // A W3C value is at most 256 characters, so an over-long ot= value fails the W3C syntax first.
    [`ot=${'a:b;'.repeat(70)}a:b`, /invalid syntax/],
  ];
  for (const [input, message] of rows) assert.match(parseTraceState(input).error?.message ?? '', message, input);
  assert.equal(parseTraceState(Array.from({ length: 31 }, (_, i) => `k${i}=v`).join(',')).error, undefined);
});

test('a bad ot member still lets later members through (Go scans them all)', () => {
  const p = parseTraceState('ot=rv:1;th:8');
  assert.match(p.error?.message ?? '', /r-value/);
  assert.equal(p.state.ot.tValue, '8');
  assert.equal(p.state.ot.rValue, '');
});
