// The store benchmark's measured process (run pinned to one core, with --expose-gc): fills a memory
// store with 100,000 traces × 10 spans through writeTraces, measuring ingest time and CPU; measures the
// heap (JS heap + array buffers) per stored span; ingests more to measure steady-state ingest with
// eviction. The store is the one of a running collector (service.ts): its OTLP/HTTP receiver and query
// API on 127.0.0.1 are what the parent measures. Prints one JSON line per figure on stdout
// (`{"figure":…}`), progress on stderr; answers `rss-reset` / `rss-peak` lines on stdin with its RSS.
import { createInterface } from 'node:readline';
import { MemoryStore } from '../../src/backend/store/memory-store.ts';
import type { TraceStore } from '../../src/backend/store/trace-store.ts';
import { RequestGenerator, SPANS_PER_TRACE, TRACES_PER_REQUEST } from './gen.ts';
import { startCollector } from './service.ts';

const TRACES = Number(process.env.STORE_BENCH_TRACES ?? 100_000);
const EXTRA_TRACES = Number(process.env.STORE_BENCH_EXTRA_TRACES ?? 50_000);
const gc = (globalThis as { gc?: () => void }).gc;

function emit(figure: string, value: unknown): void {
  process.stdout.write(`${JSON.stringify({ figure, value })}\n`);
}

function memory(): number {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Requests generated ahead of each measured block (so timing calls do not weigh on the figure). */
const BLOCK = 40;

/** Ingests `traces` traces; returns wall and CPU seconds spent inside writeTraces only. */
function ingest(store: TraceStore, gen: RequestGenerator, firstTrace: number, traces: number, sample: Buffer[]) {
  let wall = 0;
  let cpu = 0;
  const nowUs = Date.now() * 1000;
  const block: Buffer[] = [];
  for (let t = firstTrace; t < firstTrace + traces;) {
    block.length = 0;
    for (let k = 0; k < BLOCK && t < firstTrace + traces; k++, t += TRACES_PER_REQUEST) {
      // Spread the traces' start times over the last hour.
      const { request, traceIds } = gen.next(t, nowUs - 3600e6 + Math.floor(((t - firstTrace) / traces) * 3500e6));
      if (sample.length < 2000 && t % 250 === 0) sample.push(traceIds[0]!);
      block.push(request);
    }
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (const request of block) store.writeTraces(request);
    wall += performance.now() - w0;
    const c1 = process.cpuUsage(c0);
    cpu += (c1.user + c1.system) / 1e6;
  }
  return { wall: wall / 1000, cpu };
}

async function main(): Promise<void> {
  const gen = new RequestGenerator();
  emit('spanWireBytes', gen.spanBytes());
  const sample: Buffer[] = [];
  // Warm up the JIT on a throwaway store.
  ingest(new MemoryStore({ maxTraces: 5000, maxBytes: 1 << 30 }), gen, 0, 20_000, []);
  const collector = await startCollector(TRACES);
  const before = memory();
  const store = collector.store;
  const fill = ingest(store, gen, 0, TRACES, sample);
  const spans = TRACES * SPANS_PER_TRACE;
  process.stderr.write(
    `store: ingested ${spans} spans in ${fill.wall.toFixed(2)} s (${Math.round(spans / fill.wall)} spans/s, ${((fill.cpu / spans) * 1e6).toFixed(2)} CPU-s per M spans)\n`,
  );
  emit('fill', { spans, wallS: fill.wall, cpuS: fill.cpu });
  const after = memory();
  const stats = store.stats();
  process.stderr.write(
    `store: ${stats.traces} traces, ${stats.spans} spans; heap+buffers ${((after - before) / 1048576).toFixed(1)} MiB = ${((after - before) / stats.spans).toFixed(0)} B per span\n`,
  );
  emit('heap', { bytes: after - before, spans: stats.spans, storeBytes: stats.bytes, gcExposed: gc !== undefined });
  // Steady state: every new trace evicts the oldest.
  const steady = ingest(store, gen, TRACES, EXTRA_TRACES, []);
  const extraSpans = EXTRA_TRACES * SPANS_PER_TRACE;
  process.stderr.write(
    `store: steady state (evicting) ${Math.round(extraSpans / steady.wall)} spans/s, ${((steady.cpu / extraSpans) * 1e6).toFixed(2)} CPU-s per M spans\n`,
  );
  emit('steady', { spans: extraSpans, wallS: steady.wall, cpuS: steady.cpu, evicted: store.stats().evictedTraces });
  // Ids still stored after the steady phase: the newest of the sample.
  const live = sample.filter((id) => store.getTrace(id) !== undefined);
  emit('ready', {
    port: collector.queryPort,
    otlpPort: collector.otlpPort,
    traceIds: live.map((b) => b.toString('hex')),
    services: store.getServices(),
  });
  // RSS sampled every 5 ms between `rss-reset` and `rss-peak` (the parent's 200 concurrent searches).
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  sampler.unref();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line === 'rss-reset') {
      gc?.();
      peak = process.memoryUsage.rss();
      emit('rss', { steady: peak });
    } else if (line === 'rss-peak') emit('rss', { peak: Math.max(peak, process.memoryUsage.rss()) });
  });
  // The parent ends this process when it is done.
  lines.on('close', () => {
    void collector.shutdown().finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`store worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
