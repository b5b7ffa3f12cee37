// Fuzzes a real telegate process's OTLP receiver (gRPC and HTTP, every signal) with FUZZ_INPUTS inputs
// (fast-check arbitraries over a mutation corpus, fixed FUZZ_SEED): every input gets a well-formed answer
// in its expected set, the process stays alive and healthy, its peak RSS stays under a bound, the refusal
// counters count exactly the refused inputs, and valid requests interleaved and afterwards are accepted.
// `npm test` runs FUZZ_INPUTS (default below); `npm run fuzz` runs 100,000.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { freePort, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';
import { buildCorpus, type Corpus } from './body-cases.ts';
import { GrpcSender, HttpSender, type Answer } from './fuzz-send.ts';
import { G, type FuzzInput } from './fuzz-input.ts';
import { arbInput, controlInput } from './input-cases.ts';

const INPUTS = Number(process.env['FUZZ_INPUTS'] ?? 20_000);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_205);
const IN_FLIGHT = 48;
const CHUNK = 500;
/** Every CONTROL_EVERY-th input is a valid request that must be accepted. */
const CONTROL_EVERY = 50;
const CHECKPOINTS = 10;
/** Peak RSS bound: about 3× what the idle process (tsx, from source) holds, far below a leak's growth. */
const MAX_RSS_MIB = 600;

let telegate: TelegateProcess;
let ports: { grpc: number; http: number; health: number; metrics: number };
let corpus: Corpus;

before(async () => {
  ports = { grpc: await freePort(), http: await freePort(), health: await freePort(), metrics: await freePort() };
  telegate = await startTelegate(`
extensions:
  health_check: { endpoint: 127.0.0.1:${ports.health} }
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${ports.grpc}, max_recv_msg_size_mib: 1 }
      http: { endpoint: 127.0.0.1:${ports.http}, max_request_body_size: 1048576 }
processors:
  batch: { timeout: 20ms }
  attributes: { actions: [{ key: fuzzed, value: true, action: upsert }, { key: http.method, action: hash }] }
  resource: { attributes: [{ key: deployment.environment, value: fuzz, action: upsert }] }
exporters:
  debug: { verbosity: basic, sampling_initial: 1, sampling_thereafter: 100000 }
service:
  extensions: [health_check]
  telemetry: { metrics: { address: 127.0.0.1:${ports.metrics} } }
  pipelines:
    traces: { receivers: [otlp], processors: [resource, attributes, batch], exporters: [debug] }
    metrics: { receivers: [otlp], processors: [resource, attributes, batch], exporters: [debug] }
    logs: { receivers: [otlp], processors: [resource, attributes, batch], exporters: [debug] }
`);
  corpus = await buildCorpus(SEED, 40);
});

after(async () => {
  await telegate.stop('SIGKILL');
});

/** VmRSS and VmHWM (peak) of `pid` in MiB, from /proc. */
function rssMiB(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { now: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** otelcol_receiver_requests by `transport/outcome`. */
async function requestCounts(): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('otelcol_receiver_requests_total{')) continue;
    const transport = /transport="(\w+)"/.exec(line)?.[1];
    const outcome = /outcome="(\w+)"/.exec(line)?.[1];
    out.set(`${transport}/${outcome}`, Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
}

const ITEMS = ['spans', 'metric_points', 'log_records'] as const;

/** Per item kind: what the receiver accepted and what the exporter sent, from /metrics. */
async function itemFlow(): Promise<Record<string, { accepted: number; sent: number }>> {
  const text = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
  const sum = (name: string): number =>
    text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
      .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  return Object.fromEntries(
    ITEMS.map((item) => [
      item,
      { accepted: sum(`otelcol_receiver_accepted_${item}_total`), sent: sum(`otelcol_exporter_sent_${item}_total`) },
    ]),
  );
}

/** Polls until the exporter has sent every accepted item (the batch processor flushes every 20 ms), bounded. */
async function flushed(): Promise<Record<string, { accepted: number; sent: number }>> {
  let flow = await itemFlow();
  for (let i = 0; i < 100 && ITEMS.some((k) => flow[k]?.accepted !== flow[k]?.sent); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    flow = await itemFlow();
  }
  return flow;
}

const delta = (a: Map<string, number>, b: Map<string, number>, key: string): number =>
  (b.get(key) ?? 0) - (a.get(key) ?? 0);

/** The answer as one number to compare with `expect` (undefined when it is not a protocol answer). */
function answerCode(input: FuzzInput, a: Answer): number | undefined {
  if (a.kind === 'http') return input.transport === 'http' ? a.status : undefined;
  if (a.kind !== 'grpc' || input.transport !== 'grpc' || a.grpcStatus === undefined) return undefined;
  // Before method and content type say gRPC, the HTTP status carries the refusal too (405 / 415).
  if (input.label.startsWith('grpc:not-post') && a.httpStatus !== 405) return undefined;
  if (input.label.startsWith('grpc:bad-content-type') && a.httpStatus !== 415) return undefined;
  return a.grpcStatus;
}

interface Tally {
  readonly outcomes: Map<string, number>;
  readonly failures: string[];
  maxRssMiB: number;
  /** VmRSS at each checkpoint: a leak shows as a climb. */
  readonly rssMiB: number[];
}

function record(t: Tally, i: number, input: FuzzInput, a: Answer): void {
  const code = answerCode(input, a);
  const key = `${input.transport}/${code === G.OK || code === 200 ? 'success' : 'invalid'}`;
  if (code !== undefined && input.expect.includes(code)) {
    t.outcomes.set(key, (t.outcomes.get(key) ?? 0) + 1);
    return;
  }
  const head = input.body.subarray(0, 48).toString('hex');
  t.failures.push(
    `#${i} ${input.label} ${input.method} ${input.path}: got ${JSON.stringify(a)}, expected one of ${input.expect.join('|')} (body ${input.body.length} B, head ${head})`,
  );
}

async function checkpoint(t: Tally, pid: number): Promise<void> {
  process.kill(pid, 0); // throws when the process is gone
  const health = await fetch(`http://127.0.0.1:${ports.health}/`);
  assert.equal(health.status, 200, 'health check at a checkpoint');
  await health.arrayBuffer();
  const rss = rssMiB(pid);
  t.maxRssMiB = Math.max(t.maxRssMiB, rss.peak);
  t.rssMiB.push(Math.round(rss.now));
}

test(
  `${INPUTS} fuzzed OTLP/gRPC and OTLP/HTTP inputs: right answers, alive, bounded, counted`,
  { timeout: 30 * 60_000 },
  async () => {
    const pid = telegate.child.pid as number;
    const arb = arbInput(corpus);
    const grpc = new GrpcSender(ports.grpc, 4);
    const http = new HttpSender(ports.http, 16);
    const tally: Tally = { outcomes: new Map(), failures: [], maxRssMiB: 0, rssMiB: [] };
    const chunks = new Map<number, FuzzInput[]>();
    const inputAt = (i: number): FuzzInput => {
      if (i % CONTROL_EVERY === 0) return controlInput(corpus, i / CONTROL_EVERY);
      const c = Math.floor(i / CHUNK);
      let chunk = chunks.get(c);
      if (chunk === undefined) {
        chunks.clear();
        chunk = fc.sample(arb, { seed: SEED + c, numRuns: CHUNK });
        chunks.set(c, chunk);
      }
      return chunk[i % CHUNK] as FuzzInput;
    };
    const before = await requestCounts();
    const startedMs = performance.now();
    let next = 0;
    let nextCheckpoint = Math.ceil(INPUTS / CHECKPOINTS);
    const worker = async (): Promise<void> => {
      while (next < INPUTS) {
        const i = next++;
        const input = inputAt(i);
        const answer = await (input.transport === 'grpc' ? grpc.send(input) : http.send(input));
        record(tally, i, input, answer);
        if (i >= nextCheckpoint) {
          nextCheckpoint += Math.ceil(INPUTS / CHECKPOINTS);
          await checkpoint(tally, pid);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    } finally {
      grpc.close();
      http.close();
    }
    await checkpoint(tally, pid);
    const seconds = (performance.now() - startedMs) / 1000;
    const after = await requestCounts();
    const counted = ['grpc/success', 'grpc/invalid', 'http/success', 'http/invalid'].map(
      (k) => `${k}: answered ${tally.outcomes.get(k) ?? 0}, counted ${delta(before, after, k)}`,
    );
    console.log(
      `fuzz: ${INPUTS} inputs (seed ${SEED}) in ${seconds.toFixed(1)} s, peak RSS ${tally.maxRssMiB.toFixed(0)} MiB (at checkpoints ${tally.rssMiB.join(', ')}); ${counted.join('; ')}`,
    );
    const repro = `reproduce with FUZZ_SEED=${SEED} FUZZ_INPUTS=${INPUTS} node scripts/run-tests.mjs test/fuzz/receivers`;
    assert.deepEqual(tally.failures.slice(0, 20), [], `${tally.failures.length} wrong answers; ${repro}`);
    assert.deepEqual([...grpc.sessionErrors].slice(0, 5), [], 'gRPC connections ended with an error');
    for (const k of ['grpc/success', 'grpc/invalid', 'http/success', 'http/invalid'])
      assert.equal(delta(before, after, k), tally.outcomes.get(k) ?? 0, `otelcol_receiver_requests_total ${k}`);
    assert.ok(tally.maxRssMiB < MAX_RSS_MIB, `peak RSS ${tally.maxRssMiB} MiB over ${MAX_RSS_MIB} MiB`);
    // Every item the receiver accepted went through the processors to the exporter: none lost, none invented.
    const flow = await flushed();
    console.log(`fuzz: items accepted → sent ${JSON.stringify(flow)}`);
    for (const item of ITEMS) assert.equal(flow[item]?.sent, flow[item]?.accepted, `${item}: ${JSON.stringify(flow)}`);
  },
);

test('after the fuzz, valid requests on both transports and every signal are accepted', async () => {
  const grpc = new GrpcSender(ports.grpc, 1);
  const http = new HttpSender(ports.http, 1);
  try {
    for (let i = 0; i < 12; i++) {
      const input = controlInput(corpus, i);
      const a = await (input.transport === 'grpc' ? grpc.send(input) : http.send(input));
      assert.equal(answerCode(input, a), input.expect[0], `${input.label} ${input.path}`);
    }
  } finally {
    grpc.close();
    http.close();
  }
});
