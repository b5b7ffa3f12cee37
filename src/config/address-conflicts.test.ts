// Two servers on one address: host:port parsing and which hosts overlap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsOverlap, reportAddressConflicts, splitHostPort } from './address-conflicts.ts';
import { IssueList } from './issues.ts';

test('splitHostPort reads host:port, [v6]:port and :port', () => {
  assert.deepEqual(splitHostPort('0.0.0.0:4317'), { host: '0.0.0.0', port: 4317 });
  assert.deepEqual(splitHostPort('[::1]:4317'), { host: '::1', port: 4317 });
  assert.deepEqual(splitHostPort(':4318'), { host: '', port: 4318 });
  assert.deepEqual(splitHostPort('LocalHost:1'), { host: 'localhost', port: 1 });
  assert.equal(splitHostPort('/tmp/sock'), undefined);
  assert.equal(splitHostPort('host:99999'), undefined);
  assert.equal(splitHostPort('::1:4317'), undefined);
});

const overlaps: [a: string, b: string, expected: boolean][] = [
  ['127.0.0.1', '127.0.0.1', true],
  ['0.0.0.0', '10.0.0.1', true],
  ['', '127.0.0.1', true],
  ['::', '127.0.0.1', true],
  ['localhost', '127.0.0.1', true],
  ['::1', 'localhost', true],
  ['127.0.0.1', '10.0.0.1', false],
  ['127.0.0.1', '::1', false],
];
for (const [a, b, expected] of overlaps) {
  test(`${a || '(empty)'} and ${b} ${expected ? 'overlap' : 'do not overlap'}`, () => {
    assert.equal(hostsOverlap(a, b), expected);
    assert.equal(hostsOverlap(b, a), expected);
  });
}

test('each clash is reported once, at the later server; port 0 never clashes', () => {
  const issues = new IssueList();
  const at = (path: string, endpoint: string, line: number) => ({
    path,
    endpoint,
    source: { file: 'c.yaml', line, column: 5 },
  });
  reportAddressConflicts(
    [
      at('a', '127.0.0.1:4317', 1),
      at('b', '10.0.0.1:4317', 2),
      at('c', ':4317', 3),
      at('d', '127.0.0.1:0', 4),
      at('e', '0.0.0.0:0', 5),
    ],
    issues,
  );
  assert.deepEqual(
    issues.items.map((i) => [i.path, i.source?.line]),
    [['c', 3]],
  );
  assert.match(issues.items[0]!.message, /^:4317 overlaps 127\.0\.0\.1:4317 of a \(line 1\)/);
});
