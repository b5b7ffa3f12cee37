// End to end over real processes: client → naive baseline / forward reference → sink, a bounded number
// of calls; every call is acknowledged and every span reaches the sink. Needs `taskset` (Linux).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ask, spawnPinned, stopAll, waitForEvent } from './children.ts';
import { MIDDLES } from './middles.ts';
import { cpuTicks, statusBytes } from './proc.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CALLS = 12;

after(stopAll);

for (const name of ['naive', 'forward']) {
  test(`${name}: ${CALLS} calls of 1,000 spans all reach the sink`, async () => {
    const sink = spawnPinned('sink', 0, ['--import', 'tsx', 'bench/load/sink.ts'], REPO);
    const sinkPort = Number((await waitForEvent(sink, 'ready', 15_000)).port);
    const middle = await MIDDLES.find((m) => m.name === name)!.start(sinkPort, { repo: REPO, tmp: '/tmp' });
    const args = ['--target', `127.0.0.1:${middle.port}`, '--max-calls', String(CALLS), '--seconds', '60'];
    const client = spawnPinned('client', 0, ['--import', 'tsx', 'bench/load/client.ts', ...args], REPO);
    const final = await waitForEvent(client, 'final', 60_000);
    assert.equal(final.ok, CALLS);
    assert.equal(final.errors, 0);
    const counts = await ask(sink, 'snap', 'snap', 10_000);
    assert.equal(counts.spans, CALLS * 1000);
    assert.equal(counts.requests, CALLS);
    assert.ok(cpuTicks(middle.child.pid) > 0);
    assert.ok(statusBytes(middle.child.pid, 'VmHWM') > 10e6);
    await stopAll();
  });
}
