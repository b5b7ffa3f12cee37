// A telemetrygen trace larger than --batch-size goes out in parts of at most --batch-size spans, each
// part one request, all parts one consistent trace: one trace id, unique span ids, every child under
// the root, times from one base. A trace of 100,001 spans would otherwise be one ~15 MB request, over
// gRPC's 4 MiB message limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRequest, type PMessage } from '../pdata/decode.ts';
import { parseGenArgs } from './flags.ts';
import { requestPlan } from './plan.ts';
import { Patcher } from './template.ts';
import { runWorker } from './worker.ts';
import { Stats } from './stats.ts';

const list = (m: PMessage, k: string): PMessage[] => (m[k] ?? []) as PMessage[];
const hex = (v: unknown): string => (v as Buffer).toString('hex');

function spans(req: PMessage): PMessage[] {
  return list(req, 'resourceSpans').flatMap((rs) => list(rs, 'scopeSpans').flatMap((ss) => list(ss, 'spans')));
}

test('--batch-size splits a trace larger than a request into parts that make one consistent trace', async () => {
  const o = parseGenArgs(['traces', '--child-spans', '1200', '--batch-size', '500', '--traces', '2']);
  const plan = requestPlan(o);
  assert.equal(plan.parts?.length, 3);
  const bodies: Buffer[] = [];
  const exporter = {
    send: (body: Buffer) => {
      bodies.push(Buffer.from(body));
      return Promise.resolve({ ok: true, reason: '' });
    },
    close: () => Promise.resolve(),
  };
  const stats = new Stats();
  await runWorker(
    { plan, exporter, rate: 0, units: 2, inflight: 2 },
    { stopped: false, patcher: new Patcher(), stats, onFailure: () => undefined },
  );
  assert.equal(bodies.length, 6);
  const requests = bodies.map((b) => spans(decodeRequest('traces', b)));
  assert.deepEqual(
    requests.map((r) => r.length),
    [500, 500, 201, 500, 500, 201],
  );
  for (const trace of [requests.slice(0, 3).flat(), requests.slice(3).flat()]) {
    assert.equal(trace.length, 1201);
    assert.equal(new Set(trace.map((s) => hex(s['traceId']))).size, 1);
    assert.equal(new Set(trace.map((s) => hex(s['spanId']))).size, 1201);
    const root = trace[0] as PMessage;
    assert.equal(root['name'], 'lets-go');
    assert.equal(root['parentSpanId'], undefined);
    for (const child of trace.slice(1)) assert.equal(hex(child['parentSpanId']), hex(root['spanId']));
    const last = trace[1200] as PMessage;
    assert.equal(last['name'], 'okey-dokey-1199');
    assert.ok(BigInt(last['endTimeUnixNano'] as string) <= BigInt(root['endTimeUnixNano'] as string));
  }
  const [a, b] = [requests[0]?.[0], requests[3]?.[0]];
  assert.notEqual(hex(a?.['traceId']), hex(b?.['traceId']), 'each trace has its own id');
});

test('a trace that fits, --batch=false, or a scenario is never split', () => {
  assert.equal(requestPlan(parseGenArgs(['traces', '--child-spans', '10'])).parts, undefined);
  assert.equal(requestPlan(parseGenArgs(['traces', '--child-spans', '2000', '--batch=false'])).parts, undefined);
  assert.equal(requestPlan(parseGenArgs(['traces', '--scenario', 'shop'])).parts, undefined);
});
