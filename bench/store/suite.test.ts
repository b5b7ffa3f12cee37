// The store suite runs end to end on a small store (the full run is `node --import tsx bench/store/run.ts`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runStoreBench } from './suite.ts';

test('the store suite measures ingest, heap and query latency and returns markdown and verdicts', async () => {
  process.env.STORE_BENCH_TRACES = '2000';
  process.env.STORE_BENCH_EXTRA_TRACES = '1000';
  const lines: string[] = [];
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  const result = await runStoreBench(repo, 30_000, (s) => lines.push(s));
  assert.equal(result.title, 'Trace store and query API');
  assert.equal(result.verdicts.length, 3);
  assert.match(result.markdown, /\| ingest, filling/);
  assert.match(result.markdown, /\/api\/traces\?service=…&limit=20/);
  assert.ok(
    lines.some((l) => /ingested 20000 spans/.test(l)),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((l) => /\/api\/traces\/\{id\} p50/.test(l)),
    lines.join('\n'),
  );
});
