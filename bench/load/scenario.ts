// One measured run of one middle process: sink (CPU 0) → middle (CPU 1) → load client (CPU 0), warm-up,
// then a window between two snapshots of the middle's /proc CPU ticks and the sink's and client's counts.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Child, ask, spawnPinned, stopChild, waitForEvent } from './children.ts';
import { LOAD_CPU, type Middle } from './middles.ts';
import { cpuCoreTicks, cpuTicks, mainThreadTicks, statusBytes } from './proc.ts';

/** Load shape and timing of a run. */
export interface RunOptions {
  readonly repo: string;
  readonly tmp: string;
  readonly warmupS: number;
  readonly windowS: number;
  readonly conns: number;
  readonly inflight: number;
  readonly maxCalls: number;
  readonly ticksPerS: number;
}

/** The figures of one run. */
export interface Measurement {
  readonly name: string;
  readonly label: string;
  readonly windowS: number;
  /** Spans the sink received during the window (what made it through the whole pipeline). */
  readonly spans: number;
  /** Spans the client had acknowledged during the window. */
  readonly ackedSpans: number;
  /** Calls the client saw finish in the window (OK or failed). */
  readonly clientCalls: number;
  readonly clientErrors: number;
  readonly errorSamples: Record<string, unknown>;
  readonly sinkErrors: number;
  readonly sinkGzipRequests: number;
  readonly sinkRequests: number;
  readonly middleCpuS: number;
  /** CPU of the middle's main thread alone (Node's event loop; the rest is libuv's pool, GC and JIT threads). */
  readonly middleLoopCpuS: number;
  readonly loadCpuS: number;
  /** Busy time of CPU 1 not spent by the middle, plus steal: the noise on the measured core. */
  readonly otherCpu1S: number;
  /** Busy time of CPU 0 not spent by the client and sink, plus steal. */
  readonly otherCpu0S: number;
  readonly peakRssBytes: number;
  readonly commands: readonly string[];
  readonly notes: readonly string[];
}

const EVENT_TIMEOUT_MS = 10_000;

interface Snapshot {
  readonly t: number;
  readonly middle: number;
  readonly middleLoop: number;
  readonly load: number;
  readonly core1: { busy: number; steal: number };
  readonly core0: { busy: number; steal: number };
  readonly sink: Record<string, unknown>;
  readonly client: Record<string, unknown>;
}

async function snapshot(middle: Child, sink: Child, client: Child): Promise<Snapshot> {
  for (const c of [middle, sink, client])
    if (c.exited)
      throw new Error(`${c.name} exited during the run (${c.command}); last output:\n    ${c.tail.join('\n    ')}`);
  const t = performance.now();
  const ticks = {
    middle: cpuTicks(middle.pid),
    middleLoop: mainThreadTicks(middle.pid),
    load: cpuTicks(sink.pid) + cpuTicks(client.pid),
    core1: cpuCoreTicks(1),
    core0: cpuCoreTicks(0),
  };
  const [sinkSnap, clientSnap] = await Promise.all([
    ask(sink, 'snap', 'snap', EVENT_TIMEOUT_MS),
    ask(client, 'snap', 'snap', EVENT_TIMEOUT_MS),
  ]);
  return { t, ...ticks, sink: sinkSnap, client: clientSnap };
}

const delta = (a: Record<string, unknown>, b: Record<string, unknown>, key: string): number =>
  Number(b[key]) - Number(a[key]);

function measure(
  m: Middle,
  a: Snapshot,
  b: Snapshot,
  o: RunOptions,
  rss: number,
  children: Child[],
  notes: string[],
): Measurement {
  const middleCpuS = (b.middle - a.middle) / o.ticksPerS;
  const loadCpuS = (b.load - a.load) / o.ticksPerS;
  const busy = (k: 'core0' | 'core1'): number => (b[k].busy - a[k].busy + b[k].steal - a[k].steal) / o.ticksPerS;
  return {
    name: m.name,
    label: m.label,
    windowS: (b.t - a.t) / 1000,
    spans: m.countOffered === true ? delta(a.client, b.client, 'okSpans') : delta(a.sink, b.sink, 'spans'),
    ackedSpans: delta(a.client, b.client, 'okSpans'),
    clientCalls: delta(a.client, b.client, 'ok') + delta(a.client, b.client, 'errors'),
    clientErrors: delta(a.client, b.client, 'errors'),
    errorSamples: (b.client.errorSamples ?? {}) as Record<string, unknown>,
    sinkErrors: delta(a.sink, b.sink, 'errors'),
    sinkGzipRequests: delta(a.sink, b.sink, 'gzipRequests'),
    sinkRequests: delta(a.sink, b.sink, 'requests'),
    middleCpuS,
    middleLoopCpuS: (b.middleLoop - a.middleLoop) / o.ticksPerS,
    loadCpuS,
    otherCpu1S: Math.max(0, busy('core1') - middleCpuS),
    otherCpu0S: Math.max(0, busy('core0') - loadCpuS),
    peakRssBytes: rss,
    commands: children.map((c) => c.command),
    notes,
  };
}

/** Runs one middle under load and returns its figures; every child is stopped before it returns. */
export async function runScenario(m: Middle, o: RunOptions): Promise<Measurement> {
  const children: Child[] = [];
  try {
    const sink = spawnPinned('sink', LOAD_CPU, ['--import', 'tsx', 'bench/load/sink.ts'], o.repo);
    children.push(sink);
    const sinkPort = Number((await waitForEvent(sink, 'ready', EVENT_TIMEOUT_MS)).port);
    const started = await m.start(sinkPort, { repo: o.repo, tmp: o.tmp });
    children.push(started.child);
    const seconds = String(o.warmupS + o.windowS + 10);
    const clientArgs = [
      '--target',
      `127.0.0.1:${started.port}`,
      '--conns',
      String(o.conns),
      '--inflight',
      String(o.inflight),
      '--seconds',
      seconds,
      '--max-calls',
      String(o.maxCalls),
      ...(started.clientArgs ?? []),
    ];
    const client = spawnPinned('client', LOAD_CPU, ['--import', 'tsx', 'bench/load/client.ts', ...clientArgs], o.repo);
    children.push(client);
    await waitForEvent(client, 'ready', EVENT_TIMEOUT_MS);
    await sleep(o.warmupS * 1000);
    const a = await snapshot(started.child, sink, client);
    await sleep(o.windowS * 1000);
    const b = await snapshot(started.child, sink, client);
    const rss = statusBytes(started.child.pid, 'VmHWM');
    await ask(client, 'stop', 'final', EVENT_TIMEOUT_MS);
    return measure(m, a, b, o, rss, [sink, started.child, client], started.notes);
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
  }
}
