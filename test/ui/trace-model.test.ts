// The UI's trace logic (ui/src/trace-model.ts) runs without a DOM, so it is tested here in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Span, Trace } from '../../ui/src/api.ts';
import { buildTree, criticalPath, isErrorSpan, summarize } from '../../ui/src/trace-model.ts';

const T = 'aa';

function span(
  id: string,
  parent: string | undefined,
  start: number,
  duration: number,
  extra: Partial<Span> = {},
): Span {
  return {
    traceID: T,
    spanID: id,
    operationName: `op-${id}`,
    references: parent ? [{ refType: 'CHILD_OF', traceID: T, spanID: parent }] : [],
    startTime: start,
    duration,
    tags: [],
    logs: [],
    processID: id === 'b' ? 'p2' : 'p1',
    ...extra,
  };
}

function trace(spans: Span[]): Trace {
  return { traceID: T, spans, processes: { p1: { serviceName: 'web' }, p2: { serviceName: 'db' } } };
}

test('buildTree orders spans depth-first, children by start time, orphans as roots', () => {
  const tree = buildTree(
    trace([
      span('c', 'a', 50, 10),
      span('a', undefined, 0, 100),
      span('b', 'a', 10, 20),
      span('d', 'b', 12, 5),
      span('o', 'zz', 5, 1),
    ]),
  );
  assert.deepEqual(
    tree.ordered.map((n) => `${n.span.spanID}@${n.depth}`),
    ['a@0', 'b@1', 'd@2', 'c@1', 'o@0'],
  );
  assert.equal(tree.startUs, 0);
  assert.equal(tree.endUs, 100);
  assert.equal(tree.maxDepth, 2);
  assert.equal(tree.byId.get('b')?.service, 'db');
});

test('buildTree survives a parent cycle and a 10,000-deep chain', () => {
  const cyc = buildTree(trace([span('x', 'y', 0, 1), span('y', 'x', 0, 1)]));
  assert.equal(cyc.ordered.length, 2, 'a cycle has no root: its first span starts one, no span is lost');
  const chain: Span[] = [];
  for (let i = 0; i < 10_000; i++) chain.push(span(`s${i}`, i === 0 ? undefined : `s${i - 1}`, i, 20_000 - i));
  const tree = buildTree(trace(chain));
  assert.equal(tree.ordered.length, 10_000);
  assert.equal(tree.maxDepth, 9_999);
  assert.equal(criticalPath(tree).size, 10_000);
});

test('criticalPath follows the last-finishing child and the parent’s own time', () => {
  // a: 0..100; b: 10..40; c: 30..90 (finishes last); a's own time is 0..30 minus b, and 90..100.
  const tree = buildTree(trace([span('a', undefined, 0, 100), span('b', 'a', 10, 30), span('c', 'a', 30, 60)]));
  const cp = criticalPath(tree);
  assert.deepEqual(cp.get('c'), [[30, 90]]);
  assert.deepEqual(cp.get('b'), [[10, 30]]);
  assert.deepEqual(
    [...(cp.get('a') ?? [])].sort((x, y) => x[0] - y[0]),
    [
      [0, 10],
      [90, 100],
    ],
  );
});

test('errors come from otel.status_code ERROR or error=true', () => {
  assert.equal(
    isErrorSpan(span('a', undefined, 0, 1, { tags: [{ key: 'otel.status_code', type: 'string', value: 'ERROR' }] })),
    true,
  );
  assert.equal(isErrorSpan(span('a', undefined, 0, 1, { tags: [{ key: 'error', type: 'bool', value: true }] })), true);
  assert.equal(
    isErrorSpan(span('a', undefined, 0, 1, { tags: [{ key: 'otel.status_code', type: 'string', value: 'OK' }] })),
    false,
  );
});

test('summarize names the trace after its root and counts spans per service', () => {
  const err = [{ key: 'error', type: 'bool', value: true }];
  const s = summarize(trace([span('b', 'a', 10, 200, { tags: err }), span('a', undefined, 0, 100)]));
  assert.equal(s.name, 'web: op-a');
  assert.equal(s.durationUs, 210);
  assert.equal(s.errorCount, 1);
  assert.deepEqual(
    s.services.map((x) => [x.name, x.count, x.errors]),
    [
      ['db', 1, 1],
      ['web', 1, 0],
    ],
  );
});
