// End to end over real processes: client → naive baseline / forward reference → sink, a bounded number
// of calls; every call is acknowledged and every span reaches the sink. Needs `taskset` (Linux).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ask, spawnPinned, stopAll, waitForEvent } from './children.ts';
import { MIDDLES } from './middles.ts';
import { cpuTicks, statusBytes } from './proc.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CALLS = 12;

const TMP = mkdtempSync(join(tmpdir(), 'tg-bench-pipeline-'));
after(async () => {
  await stopAll();
  rmSync(TMP, { recursive: true, force: true });
});

// naive-seed: the client sends gzip over TLS with Basic credentials, the baseline forwards gzip.
for (const name of ['naive', 'forward', 'naive-seed']) {
  test(`${name}: ${CALLS} calls of 1,000 spans all reach the sink`, async () => {
    const sink = spawnPinned('sink', 0, ['--import', 'tsx', 'bench/load/sink.ts'], REPO);
    const sinkPort = Number((await waitForEvent(sink, 'ready', 15_000)).port);
    const middle = await MIDDLES.find((m) => m.name === name)!.start(sinkPort, { repo: REPO, tmp: TMP });
    const target = ['--target', `127.0.0.1:${middle.port}`, '--seconds', '60'];
    const args = [...target, '--max-calls', String(CALLS), ...(middle.clientArgs ?? [])];
    const client = spawnPinned('client', 0, ['--import', 'tsx', 'bench/load/client.ts', ...args], REPO);
    const final = await waitForEvent(client, 'final', 60_000);
    assert.equal(final.ok, CALLS);
    assert.equal(final.errors, 0);
    const counts = await ask(sink, 'snap', 'snap', 10_000);
    assert.equal(counts.spans, CALLS * 1000);
    assert.equal(counts.requests, CALLS);
    assert.equal(counts.gzipRequests, name === 'naive-seed' ? CALLS : 0);
    if (name === 'naive-seed') {
      // The same TLS client without the credentials: refused by the plain compare.
      const noAuth = middle.clientArgs?.filter(
        (a, i, all) => a !== '--authorization' && all[i - 1] !== '--authorization',
      );
      const bad = [...target, '--max-calls', '1', '--inflight', '1', '--conns', '1', ...(noAuth ?? [])];
      const refused = spawnPinned('client', 0, ['--import', 'tsx', 'bench/load/client.ts', ...bad], REPO);
      const answer = await waitForEvent(refused, 'final', 60_000);
      assert.equal(answer.ok, 0);
      assert.deepEqual(Object.keys(answer.errorSamples as object), ['grpc-status 16: bad credentials']);
    }
    assert.ok(cpuTicks(middle.child.pid) > 0);
    assert.ok(statusBytes(middle.child.pid, 'VmHWM') > 10e6);
    await stopAll();
  });
}
