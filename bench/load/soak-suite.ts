// A bounded soak (issue 16): the forward path with the persistent queue (otlp → sending_queue with
// file_storage and batch → otlp) under a steady, paced load for BENCH_SOAK_SECONDS (180), comparing the
// collector's RSS and event-loop delay after a minute's warm-up with the end of the window: flat means a
// ratio near 1 (no leak in the queue's files, journal or in-flight bookkeeping). Everything sent must arrive.
// The warm-up is a minute because collectors mark V8's old generation atomically (src/service/gc-mode.ts):
// garbage, on the heap and in array buffers, then accumulates up to V8's limits before the first full
// collections, and RSS climbs ~30 MB over the first ~50 s before it levels off. The RSS 5 s in is shown too.
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Child, ask, canConnect, spawnPinned, stopChild, waitFor, waitForEvent } from './children.ts';
import { collectorConfig, freePort } from './collector-config.ts';
import { LOAD_CPU, MIDDLE_CPU } from './middles.ts';
import { buildPayload } from './payload.ts';
import { statusBytes } from './proc.ts';
import { GrpcClient } from '../../src/transport/grpc-client.ts';
import { parseGrpcEndpoint } from '../../src/transport/endpoint.ts';
import type { Suite, SuiteResult } from '../suite.ts';

const SECONDS = Math.max(90, Number(process.env.BENCH_SOAK_SECONDS ?? 180) || 180);
/** Paced, not closed-loop: a steady load the collector keeps up with, as an edge sees most of the time. */
const REQUESTS_PER_S = 50;
const SPANS_PER_REQUEST = 100;
/** The early RSS is read after this (JIT warm, queue files created). */
const EARLY_S = 5;
/** Start figures are read after this (V8's limits settled, see above); end figures over the last window. */
const WARMUP_S = 60;
const SAMPLE_S = 5;
const EVENT_TIMEOUT_MS = 15_000;
const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

// Loaded into the collector with --import: its event-loop delay each second, as a JSON line on stdout.
const ELD_PROBE = `data:text/javascript,${encodeURIComponent(`
import { monitorEventLoopDelay } from 'node:perf_hooks';
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
setInterval(() => {
  const m = process.memoryUsage();
  process.stdout.write(JSON.stringify({ event: 'eld', meanMs: h.mean / 1e6, p99Ms: h.percentile(99) / 1e6, heapMB: m.heapTotal / 2 ** 20, buffersMB: m.arrayBuffers / 2 ** 20 }) + '\\n');
  h.reset();
}, 1000).unref();`)}`;

/** RSS and event-loop delay over one sample window. */
interface Sample {
  readonly rssMB: number;
  /** V8's heap (heapTotal) and array buffers (live or awaiting collection) at the end of the window. */
  readonly heapMB: number;
  readonly buffersMB: number;
  readonly eldMeanMs: number;
  readonly eldP99Ms: number;
}

interface Figures {
  readonly early: Sample;
  readonly start: Sample;
  readonly end: Sample;
  readonly sent: number;
  readonly refused: number;
  readonly delivered: number;
}

/** Averages the collector's per-second delay lines over `seconds`, with its RSS at the end. */
async function sample(gateway: Child, seconds: number): Promise<Sample> {
  interface Line {
    meanMs: number;
    p99Ms: number;
    heapMB: number;
    buffersMB: number;
  }
  const lines: Line[] = [];
  await waitFor(gateway, (seconds + 5) * 1000, (_line, e) => {
    if (e?.event === 'eld')
      lines.push({
        meanMs: Number(e.meanMs),
        p99Ms: Number(e.p99Ms),
        heapMB: Number(e.heapMB),
        buffersMB: Number(e.buffersMB),
      });
    return lines.length >= seconds ? true : undefined;
  });
  const avg = (f: (l: Line) => number): number => lines.reduce((s, l) => s + f(l), 0) / lines.length;
  const last = lines[lines.length - 1];
  return {
    rssMB: statusBytes(gateway.pid, 'VmRSS') / 2 ** 20,
    heapMB: last?.heapMB ?? 0,
    buffersMB: last?.buffersMB ?? 0,
    eldMeanMs: avg((l) => l.meanMs),
    eldP99Ms: avg((l) => l.p99Ms),
  };
}

/** Sends one request every 1/REQUESTS_PER_S s until `until` (epoch ms); counts refusals. */
async function pacedLoad(port: number, until: number): Promise<{ sent: number; refused: number }> {
  const parsed = parseGrpcEndpoint(`127.0.0.1:${port}`);
  if (!parsed.ok) throw new Error(parsed.message);
  const client = new GrpcClient({ target: parsed.target });
  const bytes = buildPayload(SPANS_PER_REQUEST).bytes;
  const counts = { sent: 0, refused: 0 };
  const calls: Promise<void>[] = [];
  for (let next = Date.now(); next < until; next += 1000 / REQUESTS_PER_S) {
    await sleep(Math.max(0, next - Date.now()));
    counts.sent++;
    calls.push(
      client.call(EXPORT_PATH, bytes, { timeoutMs: 10_000 }).then((r) => {
        if (r.code !== 0) counts.refused++;
      }),
    );
  }
  await Promise.all(calls);
  await client.close(1000);
  return counts;
}

async function measure(repo: string, tmp: string): Promise<{ figures: Figures; commands: string[] }> {
  const children: Child[] = [];
  try {
    const sink = spawnPinned('sink', LOAD_CPU, ['--import', 'tsx', 'bench/load/sink.ts'], repo);
    children.push(sink);
    const sinkPort = Number((await waitForEvent(sink, 'ready', EVENT_TIMEOUT_MS)).port);
    const [receiverPort, metricsPort] = [await freePort(), await freePort()];
    const file = join(tmp, 'soak.yaml');
    const storageDir = join(tmp, 'soak-queue');
    writeFileSync(file, collectorConfig({ receiverPort, sinkPort, metricsPort, queueBatch: { storageDir } }));
    const args = ['--import', ELD_PROBE, 'dist/cli/main.js', '--config', file];
    const gateway = spawnPinned('telegate-soak', MIDDLE_CPU, args, repo);
    children.push(gateway);
    for (let i = 0; i < 150 && !(await canConnect(receiverPort)); i++) await sleep(200);
    const sinkBefore = Number((await ask(sink, 'snap', 'snap', EVENT_TIMEOUT_MS)).spans);
    const load = pacedLoad(receiverPort, Date.now() + SECONDS * 1000);
    await sleep(EARLY_S * 1000);
    const early = await sample(gateway, SAMPLE_S);
    await sleep((WARMUP_S - EARLY_S - SAMPLE_S) * 1000);
    const start = await sample(gateway, SAMPLE_S);
    await sleep((SECONDS - WARMUP_S - 2 * SAMPLE_S) * 1000);
    const end = await sample(gateway, SAMPLE_S);
    const { sent, refused } = await load;
    const owed = sinkBefore + (sent - refused) * SPANS_PER_REQUEST;
    let delivered = 0;
    // The queue's last batch leaves within its flush_timeout; bounded, as everything here.
    for (let i = 0; i < 50 && delivered < owed; i++) {
      delivered = Number((await ask(sink, 'snap', 'snap', EVENT_TIMEOUT_MS)).spans);
      if (delivered < owed) await sleep(200);
    }
    return {
      figures: { early, start, end, sent, refused, delivered: delivered - sinkBefore },
      commands: children.map((c) => c.command),
    };
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
  }
}

/** `BENCH_ONLY=soak npm run bench`. */
export const soakSuite: Suite = {
  name: 'soak',
  async run(ctx): Promise<SuiteResult> {
    const { figures: f, commands } = await measure(ctx.repo, ctx.tmp);
    const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(2) : 'n/a');
    const row = (what: string, early: number, a: number, b: number, unit: string): string =>
      `| ${what} | ${early.toFixed(1)} ${unit} | ${a.toFixed(1)} ${unit} | ${b.toFixed(1)} ${unit} | ${ratio(b, a)} |`;
    const owedSpans = (f.sent - f.refused) * SPANS_PER_REQUEST;
    console.log(
      `  RSS ${f.early.rssMB.toFixed(1)} (at ${EARLY_S + SAMPLE_S} s), ${f.start.rssMB.toFixed(1)} → ${f.end.rssMB.toFixed(1)} MB; event-loop delay p99 ${f.start.eldP99Ms.toFixed(1)} → ${f.end.eldP99Ms.toFixed(1)} ms; ${f.delivered} of ${owedSpans} spans delivered, ${f.refused} of ${f.sent} requests refused`,
    );
    const markdown = [
      `The forward path with the persistent queue (otlp → \`sending_queue: { storage: file_storage, batch: {} }\` → otlp, exporter gzip) on CPU 1 for ${SECONDS} s under a paced load of ${REQUESTS_PER_S} requests/s of ${SPANS_PER_REQUEST} spans (${REQUESTS_PER_S * SPANS_PER_REQUEST} spans/s). "Start" is the ${SAMPLE_S} s after a ${WARMUP_S} s warm-up (collectors mark V8's old generation atomically: garbage accumulates up to V8's limits over the first minute, see bench/README.md), "early" the ${SAMPLE_S} s after ${EARLY_S} s, "end" the last ${SAMPLE_S} s; event-loop delay from \`monitorEventLoopDelay\` in the collector, averaged per second; V8 heap (heapTotal) and array buffers (live or awaiting collection) at the end of each window.`,
      '',
      '| figure | early | start | end | end / start |',
      '| --- | --- | --- | --- | --- |',
      row('RSS', f.early.rssMB, f.start.rssMB, f.end.rssMB, 'MB'),
      row('V8 heap', f.early.heapMB, f.start.heapMB, f.end.heapMB, 'MB'),
      row('array buffers', f.early.buffersMB, f.start.buffersMB, f.end.buffersMB, 'MB'),
      row('event-loop delay, mean', f.early.eldMeanMs, f.start.eldMeanMs, f.end.eldMeanMs, 'ms'),
      row('event-loop delay, p99', f.early.eldP99Ms, f.start.eldP99Ms, f.end.eldP99Ms, 'ms'),
      '',
      `Delivered ${f.delivered} of ${owedSpans} acknowledged spans; ${f.refused} of ${f.sent} requests refused.`,
      '',
      `Reproduce: \`BENCH_ONLY=soak BENCH_SOAK_SECONDS=${SECONDS} BENCH_MICRO=0 npm run bench\` (children: ${commands.map((c) => `\`${c}\``).join(', ')}).`,
    ].join('\n');
    return {
      title: `Soak: the persistent-queue forward path for ${SECONDS} s`,
      markdown,
      verdicts: [
        {
          target: `RSS flat after the ${WARMUP_S} s warm-up (end / start ≤ 1.25)`,
          actual: ratio(f.end.rssMB, f.start.rssMB),
          pass: f.end.rssMB <= 1.25 * f.start.rssMB,
        },
        {
          target: 'every acknowledged span delivered, none refused',
          actual: `${f.delivered} of ${owedSpans}, ${f.refused} refused`,
          pass: f.refused === 0 && f.delivered >= owedSpans,
        },
      ],
    };
  },
};
