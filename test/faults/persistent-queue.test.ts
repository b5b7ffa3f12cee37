// Fault tests of the delivery promise (DESIGN.md §4b) with real processes: client → edge (persistent
// queue) → gateway → sink. The gateway killed -9 and restarted, the edge killed -9 under load and
// restarted, a byte of a stored record corrupted while the edge is stopped: nothing the edge
// acknowledged is lost (duplicates are counted, not hidden), damage is skipped and counted.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { OtlpGrpcServer } from '../helpers/otlp-grpc-server.ts';
import { freePort, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';
import {
  edgeConfig,
  gatewayConfig,
  metricValue,
  numberedRequest,
  spanCounts,
  TraceClient,
  until,
} from './fault-helpers.ts';

const SPANS = 10;
const started: TelegateProcess[] = [];
const sinks: OtlpGrpcServer[] = [];
after(async () => {
  for (const p of started) await p.stop('SIGKILL');
  for (const s of sinks) await s.stop();
});

async function setup() {
  const sink = new OtlpGrpcServer();
  sinks.push(sink);
  const ports = { receiver: await freePort(), gateway: await freePort(), metrics: await freePort() };
  const gatewayMetrics = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'telegate-fault-'));
  const sinkPort = await sink.start();
  const gateway = async (): Promise<TelegateProcess> => {
    const p = await startTelegate(gatewayConfig({ receiver: ports.gateway, sink: sinkPort, metrics: gatewayMetrics }));
    started.push(p);
    return p;
  };
  const edge = async (): Promise<TelegateProcess> => {
    const p = await startTelegate(edgeConfig({ ...ports, dir }));
    started.push(p);
    return p;
  };
  return { sink, ports, dir, gateway, edge };
}

/** Every span of requests [0, n) arrived at least once; returns how many arrived more than once. */
function assertAllArrived(sink: OtlpGrpcServer, acked: readonly number[]): number {
  const counts = spanCounts(sink.calls);
  const missing = acked.flatMap((n) =>
    Array.from({ length: SPANS }, (_, i) => `r${n}-s${i}`).filter((name) => !counts.has(name)),
  );
  assert.deepEqual(missing, [], 'spans the edge acknowledged but the sink never got');
  let duplicates = 0;
  for (const c of counts.values()) duplicates += c - 1;
  return duplicates;
}

async function allArrived(sink: OtlpGrpcServer, acked: readonly number[]): Promise<void> {
  const want = acked.length * SPANS;
  await until(() => {
    const counts = spanCounts(sink.calls);
    return acked.every((n) => counts.has(`r${n}-s0`) && counts.has(`r${n}-s${SPANS - 1}`)) && counts.size >= want;
  });
}

test(
  'the gateway killed -9 and restarted: every span the edge acknowledged arrives',
  { timeout: 120_000 },
  async (t) => {
    const { sink, ports, gateway, edge } = await setup();
    // A slow sink: the kill finds requests in flight through the gateway, unanswered.
    sink.fallback = { delayMs: 100 };
    const gw = await gateway();
    await edge();
    const client = new TraceClient(ports.receiver);
    const acked: number[] = [];
    for (let n = 0; n < 20; n++) if ((await client.send(numberedRequest(n, SPANS))) === 0) acked.push(n);
    await gw.stop('SIGKILL');
    const deliveredBeforeKill = spanCounts(sink.calls).size;
    assert.ok(deliveredBeforeKill < acked.length * SPANS, 'the kill found acknowledged data not yet delivered');
    sink.fallback = {};
    // The gateway is gone: the edge still acknowledges, because each request is on its disk first.
    for (let n = 20; n < 40; n++) if ((await client.send(numberedRequest(n, SPANS))) === 0) acked.push(n);
    assert.equal(acked.length, 40);
    await gateway();
    await allArrived(sink, acked);
    const duplicates = assertAllArrived(sink, acked);
    t.diagnostic(`${deliveredBeforeKill} spans delivered before the kill; duplicated spans: ${duplicates}`);
    client.close();
  },
);

test(
  'the edge killed -9 under load and restarted: everything it acknowledged arrives',
  { timeout: 120_000 },
  async (t) => {
    const { sink, ports, gateway, edge } = await setup();
    // A slow sink: requests pile up in the edge's queue, so the kill finds data on disk not yet sent.
    sink.fallback = { delayMs: 100 };
    await gateway();
    const first = await edge();
    const client = new TraceClient(ports.receiver);
    const acked: number[] = [];
    let n = 0;
    for (; n < 60; n++) if ((await client.send(numberedRequest(n, SPANS))) === 0) acked.push(n);
    const sentBeforeKill = spanCounts(sink.calls).size;
    await first.stop('SIGKILL');
    assert.ok(sentBeforeKill < acked.length * SPANS, 'the kill found acknowledged data not yet delivered');
    sink.fallback = {};
    await edge();
    for (; n < 70; n++) if ((await client.send(numberedRequest(n, SPANS))) === 0) acked.push(n);
    await allArrived(sink, acked);
    const duplicates = assertAllArrived(sink, acked);
    t.diagnostic(
      `acknowledged ${acked.length} requests; ${sentBeforeKill} spans delivered before the kill; duplicated spans: ${duplicates}`,
    );
    client.close();
  },
);

test(
  'a corrupt byte in a stored record: the edge starts, skips and counts it, and delivers the rest',
  { timeout: 120_000 },
  async () => {
    const { sink, ports, dir, gateway, edge } = await setup();
    const first = await edge();
    const client = new TraceClient(ports.receiver);
    // No gateway yet: everything stays queued on the edge's disk.
    for (let n = 0; n < 10; n++) assert.equal(await client.send(numberedRequest(n, SPANS)), 0);
    assert.equal(await first.stop('SIGTERM'), 0);
    assert.match(first.output(), /stays in the persistent queue/);
    corruptRecord(join(dir, 'exporter_otlp_traces'), 3);
    await gateway();
    const second = await edge();
    await second.waitFor(/damaged records were skipped/);
    await until(async () => (await metricValue(ports.metrics, 'otelcol_exporter_sent_spans_total')) >= 9 * SPANS);
    assert.equal(await metricValue(ports.metrics, 'telegate_exporter_queue_corrupt_records_total'), 1);
    assert.equal(await metricValue(ports.metrics, 'otelcol_exporter_queue_size'), 0);
    const counts = spanCounts(sink.calls);
    const delivered = [0, 1, 2, 4, 5, 6, 7, 8, 9];
    assertAllArrived(sink, delivered);
    assert.equal(counts.has('r3-s0'), false, 'the damaged record is not delivered');
    client.close();
  },
);

test(
  'SIGTERM twice during a slow drain exits at once; what was queued is delivered after the restart',
  { timeout: 120_000 },
  async () => {
    const { sink, ports, gateway, edge } = await setup();
    // A gateway address that accepts connections and never answers: every send hangs until its timeout.
    const sockets = new Set<Socket>();
    const blackhole = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => blackhole.listen(ports.gateway, '127.0.0.1', resolve));
    const first = await edge();
    const client = new TraceClient(ports.receiver);
    for (let n = 0; n < 10; n++) assert.equal(await client.send(numberedRequest(n, SPANS)), 0);
    first.child.kill('SIGTERM');
    await first.waitFor(/Starting shutdown/);
    assert.equal(await first.stop('SIGTERM'), 130);
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => blackhole.close(resolve));
    await gateway();
    await edge();
    const acked = Array.from({ length: 10 }, (_, n) => n);
    await allArrived(sink, acked);
    assertAllArrived(sink, acked);
    client.close();
  },
);

/** Flips one payload byte of record `index` (0-based) in the queue's only segment. */
function corruptRecord(queueDir: string, index: number): void {
  const segs = readdirSync(queueDir).filter((f) => f.endsWith('.seg'));
  assert.equal(segs.length, 1);
  const path = join(queueDir, segs[0] ?? '');
  const buf = readFileSync(path);
  let at = 0;
  for (let i = 0; i < index; i++) at += 24 + buf.readUInt32LE(at + 4);
  buf[at + 24 + 5] = (buf[at + 24 + 5] ?? 0) ^ 0x5a;
  writeFileSync(path, buf);
}
