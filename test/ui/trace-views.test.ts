// The logic behind the trace page's views, without a DOM: self time and statistics, the aggregated trace
// graph and its two-trace diff, find with next/previous, distinct service colours, span references
// (FOLLOWS_FROM nesting, cycles) and reading a JSON file of traces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Reference, Span, Trace } from '../../ui/src/api.ts';
import { assignColors, serviceColor } from '../../ui/src/colors.ts';
import { findSpans, stepMatch } from '../../ui/src/timeline-find.ts';
import { aggregateGraph, diffKind } from '../../ui/src/trace-graph-model.ts';
import { buildTree, parentIdOf, summarize } from '../../ui/src/trace-model.ts';
import { selfTimes, traceStats } from '../../ui/src/trace-stats.ts';
import { keepUploaded, parseTraceJson, uploadedTrace } from '../../ui/src/uploaded.ts';

const T = 'aa';
const ref = (refType: Reference['refType'], spanID: string, traceID = T): Reference => ({ refType, traceID, spanID });

function span(id: string, refs: Reference[], start: number, duration: number, op = `op-${id}`, pid = 'p1'): Span {
  return { traceID: T, spanID: id, operationName: op, references: refs, startTime: start, duration, processID: pid };
}

function trace(spans: Span[]): Trace {
  return { traceID: T, spans, processes: { p1: { serviceName: 'front' }, p2: { serviceName: 'back' } } };
}

// root 0–100 (front); two children of back overlapping 10–40 and 30–60; a grandchild 35–45.
const sample = trace([
  span('r', [], 0, 100, 'GET /', 'p1'),
  span('a', [ref('CHILD_OF', 'r')], 10, 30, 'call', 'p2'),
  span('b', [ref('CHILD_OF', 'r')], 30, 30, 'call', 'p2'),
  span('c', [ref('CHILD_OF', 'b')], 35, 10, 'query', 'p2'),
]);

test('self time is the duration less the union of the children within it', () => {
  const self = selfTimes(buildTree(sample));
  assert.deepEqual(Object.fromEntries(self), { r: 50, a: 30, b: 20, c: 10 });
});

test('statistics: a row per service then its operations, by self time', () => {
  const rows = traceStats(buildTree(sample));
  assert.deepEqual(
    rows.map((r) => [r.service, r.operation, r.count, r.totalUs, r.selfTotalUs, r.minUs, r.maxUs]),
    [
      ['back', '', 3, 70, 60, 10, 30],
      ['back', 'call', 2, 60, 50, 30, 30],
      ['back', 'query', 1, 10, 10, 10, 10],
      ['front', '', 1, 100, 50, 100, 100],
      ['front', 'GET /', 1, 100, 50, 100, 100],
    ],
  );
});

test('the graph aggregates spans by (service, operation) path; two traces give a diff', () => {
  const g = aggregateGraph([buildTree(sample)]);
  assert.deepEqual(
    g.nodes.map((n) => [n.service, n.operation, n.depth, n.counts[0]]),
    [
      ['front', 'GET /', 0, 1],
      ['back', 'call', 1, 2],
      ['back', 'query', 2, 1],
    ],
  );
  const other = trace([span('r', [], 0, 100, 'GET /', 'p1'), span('x', [ref('CHILD_OF', 'r')], 1, 5, 'cache', 'p2')]);
  const diff = aggregateGraph([buildTree(sample), buildTree(other)]);
  assert.deepEqual(
    diff.nodes.map((n) => [n.operation, diffKind(n)]),
    [
      ['GET /', 'same'],
      ['call', 'removed'],
      ['query', 'removed'],
      ['cache', 'added'],
    ],
  );
  const more = aggregateGraph([buildTree(other), buildTree(sample)]);
  assert.equal(diffKind(more.nodes.find((n) => n.operation === 'call')!), 'added');
  const bounded = aggregateGraph([buildTree(sample)], 2);
  assert.equal(bounded.nodes.length, 2);
  assert.equal(bounded.dropped, 1);
  assert.equal(diffKind({ ...g.nodes[0]!, counts: [1, 3] }), 'more');
  assert.equal(diffKind({ ...g.nodes[0]!, counts: [3, 1] }), 'less');
});

test('find lists matches in display order; next and previous wrap around', () => {
  const tree = buildTree(sample);
  assert.deepEqual(findSpans(tree, 'CALL'), ['a', 'b']);
  assert.deepEqual(findSpans(tree, ' back '), ['a', 'b', 'c']);
  assert.deepEqual(findSpans(tree, 'R'), ['r', 'c'], 'span id r, and "query"');
  assert.deepEqual(findSpans(tree, '   '), []);
  assert.deepEqual(
    [stepMatch(-1, 1, 3), stepMatch(-1, -1, 3), stepMatch(2, 1, 3), stepMatch(0, -1, 3), stepMatch(0, 1, 0)],
    [0, 2, 0, 2, -1],
  );
});

test('services of a trace get different colours even past the palette; stable per name', () => {
  const names = Array.from({ length: 40 }, (_, i) => `svc-${i}`);
  const colors = assignColors([...names, ...names]);
  assert.equal(colors.size, 40);
  assert.equal(new Set(colors.values()).size, 40);
  assert.deepEqual(assignColors([...names].reverse()), colors, 'order does not matter');
  assert.equal(assignColors(['solo']).get('solo'), serviceColor('solo'), 'a lone service keeps its own colour');
  assert.equal(buildTree(sample).byId.get('a')?.color, buildTree(sample).colors.get('back'));
});

test('a FOLLOWS_FROM reference nests a span when it has no CHILD_OF parent in the trace', () => {
  const s = span('b', [ref('FOLLOWS_FROM', 'x'), ref('FOLLOWS_FROM', 'a'), ref('CHILD_OF', 'gone')], 5, 1);
  assert.equal(
    parentIdOf(s, (id) => id === 'a'),
    'a',
    'the first reference to a span present',
  );
  assert.equal(parentIdOf(span('b', [ref('FOLLOWS_FROM', 'a'), ref('CHILD_OF', 'r')], 5, 1)), 'r', 'CHILD_OF first');
  assert.equal(parentIdOf(span('b', [ref('FOLLOWS_FROM', 'a', 'other-trace')], 5, 1)), undefined);
  const tree = buildTree(trace([span('a', [], 0, 10), span('b', [ref('FOLLOWS_FROM', 'a')], 5, 1)]));
  assert.equal(tree.byId.get('b')?.depth, 1);
  assert.equal(
    summarize(trace([span('a', [], 0, 10), span('b', [ref('FOLLOWS_FROM', 'a')], 5, 1)])).name,
    'front: op-a',
  );
});

test('spans whose references form a cycle are still all shown', () => {
  const tree = buildTree(
    trace([span('a', [ref('FOLLOWS_FROM', 'b')], 0, 10), span('b', [ref('FOLLOWS_FROM', 'a')], 5, 1)]),
  );
  assert.equal(tree.ordered.length, 2);
  assert.deepEqual(
    tree.ordered.map((n) => [n.span.spanID, n.depth]),
    [
      ['a', 0],
      ['b', 1],
    ],
  );
});

test('a JSON file: the API envelope, an array or one trace; errors say what is wrong', () => {
  const one = { traceID: 'bb', spans: [span('a', [], 0, 1)], processes: {} };
  assert.equal(parseTraceJson(JSON.stringify({ data: [one] }))[0]?.traceID, 'bb');
  assert.equal(parseTraceJson(JSON.stringify([one, { ...one, traceID: 'cc' }])).length, 2);
  assert.equal(parseTraceJson(JSON.stringify(one))[0]?.spans.length, 1);
  assert.throws(() => parseTraceJson('{nope'), /not JSON/);
  assert.throws(() => parseTraceJson('[]'), /no traces/);
  assert.throws(() => parseTraceJson('[{"spans":[]}]'), /no traceID/);
  assert.throws(() => parseTraceJson('[1]'), /no traceID/);
  keepUploaded(Array.from({ length: 205 }, (_, i) => ({ ...one, traceID: `t${i}` })));
  assert.equal(uploadedTrace('t0'), undefined, 'the oldest go past the bound');
  assert.equal(uploadedTrace('T204')?.traceID, 't204');
});
