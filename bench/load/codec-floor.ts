// What the exporter's codecs cost alone, on the batch the load benchmark's gateway compresses: 9 distinct
// 1,000-span requests (bench/load/payload.ts variants, ~2.7 MB) as parts, compressed by telegate's own calls
// at their default levels, back to back for SECONDS each (4 in flight for the asynchronous zstd). Prints one
// JSON line per codec with its process CPU-s per million spans and its ratio. Run pinned to one CPU, as the
// codec-floor suite does: there gzip runs on the event loop, as the gateway's does on one CPU.
// Run: `taskset -c 1 node --import tsx bench/load/codec-floor.ts [seconds]`.
import { buildPayload } from './payload.ts';
import { gzipBody } from '../../src/transport/gzip-member.ts';
import { DEFAULT_GZIP_LEVEL, zstdAsync } from '../../src/transport/compression.ts';
import { DEFAULT_ZSTD_LEVEL, hasZstd } from '../../src/transport/zstd.ts';
import { cpuSeconds, emit } from './control.ts';

const SECONDS = Number(process.argv[2] ?? 3);
const REQUESTS = 9;
const parts = Array.from({ length: REQUESTS }, (_, v) => buildPayload(1000, v).bytes);
const spans = REQUESTS * 1000;
const plainBytes = parts.reduce((n, p) => n + p.length, 0);

/** Calls `compress` for SECONDS with `inflight` calls at a time; CPU-s per million spans and the ratio. */
async function measure(
  name: string,
  inflight: number,
  compress: () => Promise<number>,
): Promise<{ name: string; cpuPerMillion: number; ratio: number; calls: number }> {
  await compress(); // warm-up
  const c0 = cpuSeconds();
  const deadline = performance.now() + SECONDS * 1000;
  let calls = 0;
  let outBytes = 0;
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (performance.now() < deadline) {
        outBytes = await compress();
        calls++;
      }
    }),
  );
  const cpu = cpuSeconds() - c0;
  return { name, cpuPerMillion: (cpu / (calls * spans)) * 1e6, ratio: plainBytes / outBytes, calls };
}

const size = (out: Buffer | readonly Buffer[]): number =>
  Buffer.isBuffer(out) ? out.length : out.reduce((n, b) => n + b.length, 0);

emit('result', {
  ...(await measure(`gzip level ${DEFAULT_GZIP_LEVEL}`, 1, async () =>
    size(await gzipBody(parts, DEFAULT_GZIP_LEVEL)),
  )),
  batchBytes: plainBytes,
});
if (hasZstd()) {
  emit('result', {
    ...(await measure(`zstd level ${DEFAULT_ZSTD_LEVEL}`, 4, async () =>
      size(await zstdAsync(Buffer.concat(parts), DEFAULT_ZSTD_LEVEL)),
    )),
    batchBytes: plainBytes,
  });
}
emit('done', {});
