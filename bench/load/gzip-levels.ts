// What gzip costs on the benchmark payload, per level, strategy, memLevel and API (gzipSync on the event
// loop vs zlib.gzip on libuv's thread pool), and zstd per level: CPU-s per million spans (the whole process,
// and the event-loop thread alone, read from /proc/self/task/<pid>/stat) and compression ratio. The exporter's
// default levels are chosen from this table (src/components/exporters/otlp/README.md, docs/perf-lab.md §gzip).
// Run: `taskset -c 1 node --import tsx bench/load/gzip-levels.ts [seconds-per-row] [spans] [rounds]` (Linux
// only). Rounds interleave the variants and each cell is the median over rounds, so drift on a shared machine
// spreads over all rows instead of biasing one.
import { readFileSync } from 'node:fs';
import { constants, gunzip, gunzipSync, gzip, gzipSync, type ZlibOptions } from 'node:zlib';
import { buildPayload } from './payload.ts';
import { DEFAULT_GZIP_LEVEL, gzipAsync, zstdAsync } from '../../src/transport/compression.ts';
import { clockTicks, cpuTicks } from './proc.ts';
import { markdownTable } from './report.ts';

const SECONDS = Number(process.argv[2] ?? 1);
const SPANS = Number(process.argv[3] ?? 1000);
const ROUNDS = Number(process.argv[4] ?? 3);
const TICKS = clockTicks();
const payload = buildPayload(SPANS);

/** One measured variant. */
interface Variant {
  readonly name: string;
  readonly opts: ZlibOptions;
  readonly api: 'sync' | 'async' | 'gunzip-sync' | 'gunzip-async' | 'telegate' | 'zstd';
  /** Calls kept in flight for the async API. */
  readonly inflight?: number;
}

/** CPU ticks of this process's main (event-loop) thread: its task id is the pid. */
function loopTicks(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const gzipP = (b: Buffer, o: ZlibOptions): Promise<Buffer> =>
  new Promise((res, rej) => {
    gzip(b, o, (e, out) => {
      if (e) rej(e);
      else res(out);
    });
  });
const gunzipP = (b: Buffer, o: ZlibOptions): Promise<Buffer> =>
  new Promise((res, rej) => {
    gunzip(b, o, (e, out) => {
      if (e) rej(e);
      else res(out);
    });
  });

/** Runs `v` for about SECONDS of wall time; returns calls made and CPU ticks (process, loop thread). */
async function measure(v: Variant, input: Buffer): Promise<{ calls: number; cpu: number; loop: number }> {
  const [p0, l0, t0] = [cpuTicks(process.pid), loopTicks(), performance.now()];
  let calls = 0;
  const deadline = t0 + SECONDS * 1000;
  if (v.api === 'sync' || v.api === 'gunzip-sync') {
    const fn = v.api === 'sync' ? gzipSync : gunzipSync;
    while (performance.now() < deadline) {
      fn(input, v.opts);
      calls++;
    }
  } else {
    const fn =
      v.api === 'telegate'
        ? (b: Buffer, o: ZlibOptions) => gzipAsync(b, o.level ?? DEFAULT_GZIP_LEVEL)
        : v.api === 'zstd'
          ? (b: Buffer, o: ZlibOptions) => zstdAsync(b, o.level ?? 0)
          : v.api === 'async'
            ? gzipP
            : gunzipP;
    const worker = async (): Promise<void> => {
      while (performance.now() < deadline) {
        await fn(input, v.opts);
        calls++;
      }
    };
    await Promise.all(Array.from({ length: v.inflight ?? 1 }, worker));
  }
  return { calls, cpu: cpuTicks(process.pid) - p0, loop: loopTicks() - l0 };
}

const lv = (level: number, extra: ZlibOptions = {}): ZlibOptions => ({ level, ...extra });
const VARIANTS: Variant[] = [
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((l): Variant => ({ name: `level ${l}`, opts: lv(l), api: 'sync' })),
  { name: 'level 1, Z_FILTERED', opts: lv(1, { strategy: constants.Z_FILTERED }), api: 'sync' },
  { name: 'level 6, Z_FILTERED', opts: lv(6, { strategy: constants.Z_FILTERED }), api: 'sync' },
  { name: 'level 1, Z_RLE', opts: lv(1, { strategy: constants.Z_RLE }), api: 'sync' },
  { name: 'level 1, Z_HUFFMAN_ONLY', opts: lv(1, { strategy: constants.Z_HUFFMAN_ONLY }), api: 'sync' },
  { name: 'level 1, memLevel 9', opts: lv(1, { memLevel: 9 }), api: 'sync' },
  { name: 'level 1, memLevel 4', opts: lv(1, { memLevel: 4 }), api: 'sync' },
  { name: 'level 6, memLevel 9', opts: lv(6, { memLevel: 9 }), api: 'sync' },
  { name: 'level 1, async ×1', opts: lv(1), api: 'async', inflight: 1 },
  { name: 'level 1, async ×4', opts: lv(1), api: 'async', inflight: 4 },
  { name: 'level 1, async ×4, chunkSize 64 KiB', opts: lv(1, { chunkSize: 64 * 1024 }), api: 'async', inflight: 4 },
  { name: 'level 1, async ×4, chunkSize 256 KiB', opts: lv(1, { chunkSize: 256 * 1024 }), api: 'async', inflight: 4 },
  { name: 'level 6, async ×4', opts: lv(6), api: 'async', inflight: 4 },
  {
    name: `telegate's gzipAsync (level ${DEFAULT_GZIP_LEVEL}), ×4`,
    opts: lv(DEFAULT_GZIP_LEVEL, { memLevel: 9 }),
    api: 'telegate',
    inflight: 4,
  },
  // zstd through telegate's codec (thread pool): which level is the exporter's default (otlp exporter README).
  ...[1, 2, 3, 6].map((l): Variant => ({ name: `zstd level ${l}, ×4`, opts: lv(l), api: 'zstd', inflight: 4 })),
];

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;

/** CPU-s per million spans of each variant over ROUNDS interleaved rounds: [process, event loop]. */
async function rounds(list: readonly { v: Variant; input: Buffer }[]): Promise<{ cpu: number; loop: number }[]> {
  const cpu = list.map((): number[] => []);
  const loop = list.map((): number[] => []);
  for (const { v, input } of list) await measure(v, input); // warm-up, discarded
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, { v, input }] of list.entries()) {
      const m = await measure(v, input);
      const perM = (ticks: number): number => (ticks / TICKS / (m.calls * payload.spans)) * 1e6;
      cpu[i]!.push(perM(m.cpu));
      loop[i]!.push(perM(m.loop));
    }
    console.error(`round ${r + 1}/${ROUNDS} done`);
  }
  return list.map((_, i) => ({ cpu: median(cpu[i]!), loop: median(loop[i]!) }));
}

async function main(): Promise<void> {
  const outs = await Promise.all(
    VARIANTS.map((v) =>
      v.api === 'zstd' ? zstdAsync(payload.bytes, v.opts.level ?? 0) : Promise.resolve(gzipSync(payload.bytes, v.opts)),
    ),
  );
  const gunzips = [1, 6].flatMap((level) =>
    (['gunzip-sync', 'gunzip-async'] as const).map((api) => ({
      v: {
        name: `gunzip of level ${level} (${api === 'gunzip-sync' ? 'sync' : 'async ×4'})`,
        opts: {},
        api,
        inflight: 4,
      },
      input: gzipSync(payload.bytes, { level }),
    })),
  );
  const list = [...VARIANTS.map((v) => ({ v, input: payload.bytes })), ...gunzips];
  const results = await rounds(list);
  const rows = list.map(({ v, input }, i) => {
    const out = outs[i] ?? input;
    const gz = i < VARIANTS.length;
    const savedMB = (((payload.bytes.length - out.length) / payload.spans) * 1e6) / 1e6; // MB saved per M spans
    return [
      v.name,
      String(out.length),
      gz ? (payload.bytes.length / out.length).toFixed(2) : '',
      gz ? (out.length / payload.spans).toFixed(1) : '',
      results[i]!.cpu.toFixed(2),
      results[i]!.loop.toFixed(2),
      gz ? ((results[i]!.cpu / savedMB) * 1000).toFixed(1) : '',
    ];
  });
  const header = [
    'variant',
    'bytes out',
    'ratio',
    'B/span out',
    'CPU-s / M spans (process)',
    'CPU-s / M spans (event loop)',
    'CPU-ms per MB saved',
  ];
  console.log(
    `payload: ${payload.bytes.length} bytes, ${payload.spans} spans; median of ${ROUNDS} rounds of ${SECONDS} s per row; Node ${process.version}, zlib ${process.versions.zlib}\n`,
  );
  console.log(markdownTable(header, rows));
}

await main();
