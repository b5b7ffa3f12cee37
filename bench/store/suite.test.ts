// The store suite runs end to end on a small store (the full run is `node --import tsx bench/store/run.ts`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runStoreBench } from './suite.ts';

test('the store suite measures ingest, heap, query latency, ingest under heavy searches and RSS, and returns markdown and verdicts', async () => {
  process.env.STORE_BENCH_TRACES = '2000';
  process.env.STORE_BENCH_EXTRA_TRACES = '1000';
  process.env.STORE_BENCH_LOAD_MS = '300';
  const lines: string[] = [];
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  const result = await runStoreBench(repo, 80_000, (s) => lines.push(s));
  assert.equal(result.title, 'Trace store and query API');
  assert.equal(result.verdicts.length, 5);
  assert.match(result.markdown, /\| … with 20 clients running `limit=1000` searches \|/);
  assert.match(result.markdown, /\| RSS steady \/ peak during 200 concurrent `limit=0` searches \| \d+ MiB \/ \d+ MiB/);
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
