// The overload scenario (issue 15): the benchmark gateway (otlp → batch → otlp, exporter gzip) under the same
// closed-loop load, and the sink stalls for 5 s mid-window (it reads requests but answers none). The queue and
// the batch processor fill, then the receiver waits for room instead of refusing: the figures are the calls
// refused in the window, the client's latency, and the gateway's CPU while it waits.
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Child, ask, spawnPinned, stopChild, waitForEvent } from './children.ts';
import { collectorConfig, freePort } from './collector-config.ts';
import { LOAD_CPU, MIDDLE_CPU } from './middles.ts';
import { clockTicks, cpuTicks } from './proc.ts';
import { canConnect } from './children.ts';
import type { Suite, SuiteResult } from '../suite.ts';

const PAUSE_MS = 5000;
const BACKPRESSURE_TIMEOUT = '10s';
const EVENT_TIMEOUT_MS = 15_000;
const WARMUP_MS = 3000;
/** Load before the stall, the stall, then the recovery, all inside the measured window. */
const BEFORE_MS = 2000;
const AFTER_MS = 5000;
/** CPU "while waiting" is measured from this long after the stall began (the queue has filled) to its end. */
const SETTLE_MS = 1000;

async function waitListening(port: number, child: Child): Promise<void> {
  for (let i = 0; i < 150 && !child.exited; i++) {
    if (await canConnect(port)) return;
    await sleep(200);
  }
  throw new Error(`the gateway did not listen on ${port}; last output:\n${child.tail.join('\n')}`);
}

interface Figures {
  readonly calls: number;
  readonly refused: number;
  readonly errorSamples: unknown;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly waitingCpu: number;
  readonly windowCpu: number;
  readonly sinkSpans: number;
}

async function measure(repo: string, tmp: string): Promise<{ figures: Figures; commands: string[] }> {
  const children: Child[] = [];
  try {
    const sink = spawnPinned('sink', LOAD_CPU, ['--import', 'tsx', 'bench/load/sink.ts'], repo);
    children.push(sink);
    const sinkPort = Number((await waitForEvent(sink, 'ready', EVENT_TIMEOUT_MS)).port);
    const [receiverPort, metricsPort] = [await freePort(), await freePort()];
    const file = join(tmp, 'overload.yaml');
    // The exporter's timeout outlasts the stall, so that sends held by the stalled sink complete when it
    // answers rather than failing into a retry backoff (what a backend that is slow, not down, looks like).
    writeFileSync(
      file,
      collectorConfig({
        receiverPort,
        sinkPort,
        metricsPort,
        backpressureTimeout: BACKPRESSURE_TIMEOUT,
        exporterTimeout: '30s',
      }),
    );
    const gateway = spawnPinned('telegate-overload', MIDDLE_CPU, ['dist/cli/main.js', '--config', file], repo);
    children.push(gateway);
    await waitListening(receiverPort, gateway);
    const clientArgs = ['--target', `127.0.0.1:${receiverPort}`, '--conns', '4', '--inflight', '16'];
    const client = spawnPinned(
      'client',
      LOAD_CPU,
      ['--import', 'tsx', 'bench/load/client.ts', ...clientArgs, '--seconds', '40', '--call-timeout-ms', '30000'],
      repo,
    );
    children.push(client);
    await waitForEvent(client, 'ready', EVENT_TIMEOUT_MS);
    await sleep(WARMUP_MS);
    const ticks = clockTicks();
    const a = { cpu: cpuTicks(gateway.pid), client: await ask(client, 'snap', 'snap', EVENT_TIMEOUT_MS) };
    const sinkA = await ask(sink, 'snap', 'snap', EVENT_TIMEOUT_MS);
    await sleep(BEFORE_MS);
    const resumed = waitForEvent(sink, 'resumed', PAUSE_MS + EVENT_TIMEOUT_MS);
    await ask(sink, `pause ${PAUSE_MS}`, 'paused', EVENT_TIMEOUT_MS);
    const pausedAt = performance.now();
    await sleep(SETTLE_MS);
    const w0 = { t: performance.now(), cpu: cpuTicks(gateway.pid) };
    await resumed;
    const w1 = { t: performance.now(), cpu: cpuTicks(gateway.pid) };
    await sleep(AFTER_MS);
    const b = { cpu: cpuTicks(gateway.pid), client: await ask(client, 'snap', 'snap', EVENT_TIMEOUT_MS) };
    const sinkB = await ask(sink, 'snap', 'snap', EVENT_TIMEOUT_MS);
    const windowS = (BEFORE_MS + (w1.t - pausedAt) + AFTER_MS) / 1000;
    const n = (o: Record<string, unknown>, k: string): number => Number(o[k]);
    return {
      figures: {
        calls: n(b.client, 'ok') + n(b.client, 'errors') - n(a.client, 'ok') - n(a.client, 'errors'),
        refused: n(b.client, 'errors') - n(a.client, 'errors'),
        errorSamples: b.client.errorSamples,
        p50Ms: n(b.client, 'p50Ms'),
        p99Ms: n(b.client, 'p99Ms'),
        maxMs: n(b.client, 'maxMs'),
        waitingCpu: (w1.cpu - w0.cpu) / ticks / ((w1.t - w0.t) / 1000),
        windowCpu: (b.cpu - a.cpu) / ticks / windowS,
        sinkSpans: n(sinkB, 'spans') - n(sinkA, 'spans'),
      },
      commands: children.map((c) => c.command),
    };
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
  }
}

/** `BENCH_ONLY=overload npm run bench`. */
export const overloadSuite: Suite = {
  name: 'overload',
  async run(ctx): Promise<SuiteResult> {
    const { figures: f, commands } = await measure(ctx.repo, ctx.tmp);
    const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
    console.log(
      `  ${f.refused} of ${f.calls} calls refused; latency p50 ${f.p50Ms.toFixed(0)} ms, p99 ${f.p99Ms.toFixed(0)} ms, max ${f.maxMs.toFixed(0)} ms; CPU while waiting ${pct(f.waitingCpu)}, over the window ${pct(f.windowCpu)}`,
    );
    const markdown = [
      `The load benchmark's gateway (otlp → batch → otlp, exporter gzip, \`backpressure_timeout: ${BACKPRESSURE_TIMEOUT}\`, exporter \`timeout: 30s\`) on CPU 1 under the same closed-loop load (16 calls in flight over 4 connections, 1,000 spans each, client call timeout 30 s); ${BEFORE_MS / 1000} s into the window the sink stalls for ${PAUSE_MS / 1000} s (it reads requests and answers none), then ${AFTER_MS / 1000} s of recovery. Latencies are over every call that finished in the window.`,
      '',
      '| figure | value | target |',
      '| --- | --- | --- |',
      `| calls refused in the window | ${f.refused} of ${f.calls} | 0 |`,
      `| call latency p50 / p99 / max | ${f.p50Ms.toFixed(0)} / ${f.p99Ms.toFixed(0)} / ${f.maxMs.toFixed(0)} ms |  |`,
      `| gateway CPU while waiting (from ${SETTLE_MS / 1000} s into the stall to its end) | ${pct(f.waitingCpu)} of a core | < 5 % |`,
      `| gateway CPU over the whole window | ${pct(f.windowCpu)} of a core |  |`,
      `| spans the sink received in the window | ${f.sinkSpans} |  |`,
      '',
      `Reproduce: \`BENCH_ONLY=overload BENCH_MICRO=0 npm run bench\` (children: ${commands.map((c) => `\`${c}\``).join(', ')}).`,
    ].join('\n');
    return {
      title: 'Overload: the sink stalls for 5 s',
      markdown,
      verdicts: [
        {
          target: `zero refused calls while the sink stalls ${PAUSE_MS / 1000} s (< the ${BACKPRESSURE_TIMEOUT} wait bound)`,
          actual: `${f.refused} of ${f.calls}${f.refused > 0 ? ` ${JSON.stringify(f.errorSamples)}` : ''}`,
          pass: f.refused === 0,
        },
        {
          target: 'gateway CPU while waiting < 5 % of a core',
          actual: pct(f.waitingCpu),
          pass: f.waitingCpu < 0.05,
        },
      ],
    };
  },
};
