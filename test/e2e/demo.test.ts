// `telegate demo` as a user runs it: the whole topology starts, traces from both simulated clusters
// reach the backend through the gateway carrying their cluster, zone and verified user, and Ctrl-C
// (SIGINT) stops every process it started. A busy port is a clear error naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoPlan, portsOf } from '../../src/demo/plan.ts';
import { runTelegate } from '../helpers/telegate-process.ts';

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(undefined);
    });
    server.listen(port, '127.0.0.1', () => {
      resolve(server);
    });
  });
}

/** An offset whose every port is free now (tries a few at random). */
async function freeOffset(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const offset = 10_000 + Math.floor(Math.random() * 20_000);
    const held: Server[] = [];
    let ok = true;
    for (const { port } of portsOf(demoPlan(offset))) {
      const s = await listen(port);
      if (s === undefined) {
        ok = false;
        break;
      }
      held.push(s);
    }
    await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
    if (ok) return offset;
  }
  throw new Error('no free port offset found');
}

interface JaegerTag {
  key: string;
  value: string | number | boolean;
}
interface JaegerTrace {
  processes: Record<string, { serviceName: string; tags: JaegerTag[] }>;
}

/** The cluster / zone / user stamps seen on the processes of the frontend's traces. */
async function stampsSeen(uiPort: number): Promise<Set<string>> {
  const res = await fetch(`http://127.0.0.1:${uiPort}/api/traces?service=frontend&limit=200&lookback=1h`);
  if (!res.ok) return new Set();
  const body = (await res.json()) as { data: JaegerTrace[] };
  const seen = new Set<string>();
  for (const trace of body.data)
    for (const p of Object.values(trace.processes)) {
      const tag = (k: string): string => String(p.tags.find((t) => t.key === k)?.value ?? '-');
      seen.add(`${tag('k8s.cluster.name')} ${tag('cloud.availability_zone')} ${tag('telegate.auth.username')}`);
    }
  return seen;
}

function processesMentioning(text: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(text) && !l.includes('ps -eo'));
}

test('telegate demo: both clusters reach the backend with their stamps; SIGINT leaves no process behind', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'telegate-demo-e2e-'));
  const plan = demoPlan(await freeOffset());
  const offset = plan.gateway.port - 14317;
  const demo = runTelegate(['demo', '--data-dir', dataDir, '--port-offset', String(offset), '--rate', '500']);
  try {
    await demo.waitFor(/Ctrl-C stops everything/);
    const want = ['edge-cluster-1 eu-west-1 edge-1', 'edge-cluster-2 us-east-1 edge-2'];
    let seen = new Set<string>();
    // Bounded: at most 60 polls of the query API, half a second apart.
    for (let i = 0; i < 60 && !want.every((w) => seen.has(w)); i++) {
      await new Promise((r) => setTimeout(r, 500));
      seen = await stampsSeen(plan.backend.uiPort);
    }
    assert.deepEqual([...seen].filter((s) => want.includes(s)).sort(), want, [...seen].join('; '));
    assert.ok(
      ![...seen].some((s) => s.endsWith(' -')),
      `a process without the gateway's stamp: ${[...seen].join('; ')}`,
    );
    assert.equal(await demo.stop('SIGINT'), 0, demo.output());
    assert.match(demo.output(), /stopped\./);
    assert.deepEqual(processesMentioning(dataDir), []);
    for (const edge of plan.edges) assert.deepEqual(processesMentioning(`127.0.0.1:${edge.grpcPort}`), []);
  } finally {
    await demo.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a busy port is named, with the flag that chooses others; exit 1', async () => {
  const offset = await freeOffset();
  const plan = demoPlan(offset);
  const blocker = await listen(plan.gateway.port);
  const dataDir = mkdtempSync(join(tmpdir(), 'telegate-demo-e2e-'));
  try {
    const demo = runTelegate(['demo', '--data-dir', dataDir, '--port-offset', String(offset)]);
    // SIGCONT changes nothing for a running process: this only waits for the demo to exit by itself.
    assert.equal(await demo.stop('SIGCONT'), 1);
    assert.match(demo.output(), new RegExp(`${plan.gateway.port} \\(gateway OTLP/gRPC`));
    assert.match(demo.output(), /--port-offset N/);
  } finally {
    blocker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
