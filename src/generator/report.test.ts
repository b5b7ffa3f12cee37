import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine, summaryText } from './report.ts';
import type { GenSummary } from './run-generator.ts';

const summary: GenSummary = {
  signal: 'traces',
  unit: 'spans',
  sentItems: 1_500_000,
  failedItems: 512,
  requests: 1501,
  failedRequests: 1,
  elapsedMs: 2000,
  itemsPerSecond: 750_000,
  cpuMs: 600,
  failures: [{ reason: 'UNAUTHENTICATED: invalid credentials', requests: 1 }],
  interrupted: false,
  stoppedOnFailure: true,
};

test('the summary gives counts, rate, CPU per million and each failure reason', () => {
  const text = summaryText(summary);
  assert.match(
    text,
    /sent 1,500,000 spans in 1,500 requests, failed 512 spans in 1 requests; 2\.00 s, 750,000 spans\/s/,
  );
  assert.match(text, /\(0\.40 CPU-s per million spans\)/);
  assert.match(text, /export failed \(1 requests\): UNAUTHENTICATED: invalid credentials/);
  assert.match(text, /stopped at the first failed export/);
});

test('the progress line shows the rate since the previous snapshot', () => {
  const previous = {
    sentItems: 1000,
    failedItems: 0,
    requests: 1,
    failedRequests: 0,
    elapsedMs: 1000,
    itemsPerSecond: 1000,
  };
  const now = { ...previous, sentItems: 4000, elapsedMs: 2000 };
  assert.equal(progressLine('spans', now, previous), 'sent 4,000 spans, failed 0, 3,000 spans/s, 2.0 s');
});
