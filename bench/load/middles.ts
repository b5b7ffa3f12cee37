// The processes measured on CPU 1, each started against a sink port and resolved once it accepts calls:
// telegate (compression: none like the baseline, and the exporter default gzip), the naive baseline, and the raw
// forward reference.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Child, canConnect, spawnPinned, waitFor, waitForEvent } from './children.ts';
import { hashSync } from '@node-rs/bcrypt';
import { collectorConfig, freePort } from './collector-config.ts';
import { benchIssuer } from './oidc-issuer.ts';
import { BENCH_BASIC, BENCH_PASSWORD, BENCH_USER, benchCert, seedClientArgs } from './seed.ts';

export const MIDDLE_CPU = 1;
export const LOAD_CPU = 0;
const READY_TIMEOUT_MS = 30_000;
const PROBE_INTERVAL_MS = 200;

/** A started middle process. */
export interface Started {
  readonly child: Child;
  readonly port: number;
  readonly notes: string[];
  /** Extra arguments for the load client (e.g. credentials). */
  readonly clientArgs?: readonly string[];
}

/** One variant of the process under test. */
export interface Middle {
  readonly name: string;
  readonly label: string;
  readonly start: (sinkPort: number, ctx: { repo: string; tmp: string }) => Promise<Started>;
  /**
   * The variant drops spans by design (a sampler): its figures count the spans the client had
   * acknowledged, the work it was given, instead of those that reached the sink.
   */
  readonly countOffered?: boolean;
}

/** How a bench process row runs (bench/load/naive.ts's flags; the load client's arguments). */
interface NaiveOptions {
  /** grpc-js's own HTTP/2 windows instead of BIGWIN. */
  readonly defaultWindows?: boolean;
  /** The seed gateway's counterpart: TLS, a plain credential compare, gzip in and out. */
  readonly seed?: boolean;
  readonly clientArgs?: readonly string[];
  /** Count the spans the client had acknowledged: the process forwards nothing. */
  readonly countOffered?: boolean;
}

function tsMiddle(name: string, label: string, file: string, o: NaiveOptions = {}): Middle {
  return {
    name,
    label,
    ...(o.countOffered === true ? { countOffered: true } : {}),
    start: async (sinkPort, ctx) => {
      const cert = o.seed === true ? benchCert(ctx.tmp) : undefined;
      const flags = [
        ...(o.defaultWindows === true ? ['--default-windows'] : []),
        ...(cert === undefined ? [] : ['--tls-cert', cert.certFile, '--tls-key', cert.keyFile]),
        ...(cert === undefined ? [] : ['--authorization', BENCH_BASIC, '--gzip-out']),
      ];
      const child = spawnPinned(
        name,
        MIDDLE_CPU,
        ['--import', 'tsx', file, '--sink', `127.0.0.1:${sinkPort}`, ...flags],
        ctx.repo,
      );
      const ready = await waitForEvent(child, 'ready', READY_TIMEOUT_MS);
      const notes = ready.bigWindows === false ? ['grpc-js server windows NOT widened (private hook missing)'] : [];
      const clientArgs = [...(cert === undefined ? [] : seedClientArgs(cert)), ...(o.clientArgs ?? [])];
      return { child, port: Number(ready.port), notes, clientArgs };
    },
  };
}

/** Ready when the collector logs Go's "Everything is ready" line, or its receiver port accepts a connection. */
async function waitListening(child: Child, port: number): Promise<void> {
  const state = { settled: false };
  const byLine = waitFor(child, READY_TIMEOUT_MS, (line) => (/everything is ready/i.test(line) ? true : undefined));
  const byProbe = (async () => {
    for (let i = 0; i < READY_TIMEOUT_MS / PROBE_INTERVAL_MS && !state.settled && !child.exited; i++) {
      if (await canConnect(port)) return;
      await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS));
    }
    await new Promise(() => undefined); // never resolves: the line wait decides (and times out)
  })();
  try {
    await Promise.race([byLine, byProbe]);
  } finally {
    state.settled = true;
  }
  byLine.catch(() => undefined);
}

/** Exporter compression of a telegate variant: `none`, `zstd`, its default (undefined) or gzip at a level. */
type Compression = 'none' | 'zstd' | undefined | { readonly gzipLevel: number };

/** Requests of 50 spans instead of 1,000: the per-request costs weigh 20× more per span. */
const SMALL_REQUESTS = ['--spans', '50'];

/** The receiver's authenticator: none, basicauth (bcrypt cost 10) or oidc (a JWT from benchIssuer). */
type Auth = 'none' | 'basic' | 'oidc';

/** What distinguishes a telegate variant from the plain pipeline. */
interface Variant {
  readonly auth?: Auth;
  /** The seed's gateway: TLS on the receiver, and the client sends gzip over TLS (with `auth: 'basic'`). */
  readonly seed?: boolean;
  readonly attributes?: boolean;
  /** Batching in the exporter's queue, in memory or on disk (file_storage). */
  readonly queue?: 'memory-batch' | 'persistent-batch';
  /** A probabilistic_sampler at this percentage before batch. */
  readonly samplerPercent?: number;
  /** Extra arguments of the load client (e.g. smaller requests). */
  readonly clientArgs?: readonly string[];
}

function telegate(name: string, label: string, compression: Compression, v: Variant = {}): Middle {
  const countOffered = v.samplerPercent !== undefined;
  const auth = v.auth ?? 'none';
  const attributes = v.attributes ?? false;
  const queue = v.queue;
  return {
    name,
    label,
    countOffered,
    start: async (sinkPort, ctx) => {
      const [receiverPort, metricsPort] = [await freePort(), await freePort()];
      const file = join(ctx.tmp, `${name}.yaml`);
      const htpasswd = auth === 'basic' ? `${BENCH_USER}:${hashSync(BENCH_PASSWORD, 10)}` : undefined;
      const issuer = auth === 'oidc' ? await benchIssuer() : undefined;
      const cert = v.seed === true ? benchCert(ctx.tmp) : undefined;
      writeFileSync(
        file,
        collectorConfig({
          receiverPort,
          sinkPort,
          metricsPort,
          ...(compression === 'none' || compression === 'zstd' ? { compression } : {}),
          ...(typeof compression === 'object'
            ? { compression: 'gzip' as const, gzipLevel: compression.gzipLevel }
            : {}),
          ...(htpasswd ? { htpasswd } : {}),
          ...(cert ? { tls: cert } : {}),
          ...(issuer ? { oidc: { issuer: issuer.issuer, audience: issuer.audience } } : {}),
          attributes,
          ...(v.samplerPercent === undefined ? {} : { samplerPercent: v.samplerPercent }),
          ...(queue === undefined
            ? {}
            : { queueBatch: queue === 'persistent-batch' ? { storageDir: join(ctx.tmp, `${name}-queue`) } : {} }),
        }),
      );
      const child = spawnPinned(name, MIDDLE_CPU, ['dist/cli/main.js', '--config', file], ctx.repo);
      await waitListening(child, receiverPort);
      const authorization = auth === 'basic' ? BENCH_BASIC : issuer?.authorization;
      const clientArgs = [
        ...(cert !== undefined ? seedClientArgs(cert) : []),
        ...(authorization === undefined || cert !== undefined ? [] : ['--authorization', authorization]),
        ...(v.clientArgs ?? []),
      ];
      return { child, port: receiverPort, notes: [`config: ${file}`], clientArgs };
    },
  };
}

const NAIVE = 'bench/load/naive.ts';

/** Every variant, in run order: the headline pair (the seed's gateway and its naive counterpart) first. */
export const MIDDLES: readonly Middle[] = [
  // Issue 15's headline: the seed's gateway as users run it, gzip in over TLS with Basic credentials.
  tsMiddle(
    'naive-seed',
    "naive counterpart of the seed's gateway: grpc-js over TLS, a plain credential compare, protobufjs decode/encode, grpc-js gzip out (its default level)",
    NAIVE,
    { seed: true },
  ),
  tsMiddle('naive-seed-default', 'naive-seed with grpc-js default HTTP/2 windows', NAIVE, {
    seed: true,
    defaultWindows: true,
  }),
  telegate(
    'telegate-seed',
    "telegate: the seed's gateway: otlp over TLS + basicauth (bcrypt cost 10) → batch → otlp at its default compression (gzip level 1), gzip in",
    undefined,
    { auth: 'basic', seed: true },
  ),
  tsMiddle('naive', 'naive baseline: grpc-js + protobufjs decode/encode', NAIVE),
  tsMiddle('naive-default', 'naive with grpc-js default HTTP/2 windows (the issue harness naive)', NAIVE, {
    defaultWindows: true,
  }),
  tsMiddle('forward', 'reference: raw node:http2 pass-through (no decode, no batch)', 'bench/load/forward.ts'),
  // Headline: the config as users run it, the exporter at its default compression (gzip level 1).
  telegate(
    'telegate-gzip',
    'telegate: otlp → batch → otlp, the exporter default compression (gzip at level 1, the default here)',
    undefined,
  ),
  telegate(
    'telegate-gzip6',
    'telegate: the same at compression_params.level 6 (zlib default, what Go sends when unset)',
    { gzipLevel: 6 },
  ),
  // Like for like with the baseline, which forwards uncompressed too: the pipeline's own cost without zlib.
  telegate('telegate', 'telegate: otlp → batch → otlp, exporter compression: none (as the baseline)', 'none'),
  telegate('telegate-zstd', 'telegate: otlp → batch → otlp, exporter compression: zstd (level 1, its default)', 'zstd'),
  telegate(
    'telegate-auth',
    'telegate: the compression: none pipeline behind basicauth (a bcrypt cost-10 htpasswd entry)',
    'none',
    { auth: 'basic' },
  ),
  telegate(
    'telegate-oidc',
    'telegate: the compression: none pipeline behind oidc (an RS256 JWT, verified once, then answered from the token cache)',
    'none',
    { auth: 'oidc' },
  ),
  telegate(
    'telegate-attributes',
    'telegate: the compression: none pipeline with an attributes processor (one upsert and one delete per span)',
    'none',
    { attributes: true },
  ),
  telegate(
    'telegate-sampler',
    'telegate: the compression: none pipeline with probabilistic_sampler at 10 % (hash_seed mode) before batch; per span offered (acknowledged), as 90 % never reach the sink',
    'none',
    { samplerPercent: 10 },
  ),
  // The edge config of DESIGN.md §4b, in two steps: batching moved into the exporter's queue, then that
  // queue made persistent (each request written to a file_storage segment log before it is answered).
  telegate(
    'telegate-qbatch',
    'telegate: otlp → otlp with sending_queue.batch (no batch processor), in-memory queue, compression: none',
    'none',
    { queue: 'memory-batch' },
  ),
  telegate(
    'telegate-persistent',
    'telegate: the same with sending_queue.storage: file_storage (fsync off), compression: none',
    'none',
    { queue: 'persistent-batch' },
  ),
  tsMiddle(
    'naive-small',
    'naive baseline with requests of 50 spans (the small-request rows compare with this)',
    NAIVE,
    { clientArgs: SMALL_REQUESTS },
  ),
  tsMiddle('naive-small-default', 'naive-small with grpc-js default HTTP/2 windows', NAIVE, {
    clientArgs: SMALL_REQUESTS,
    defaultWindows: true,
  }),
  // The floor of a request's cost in node:http2 alone: receive, count the spans, answer; nothing forwarded.
  tsMiddle(
    'receive-small',
    'reference: raw node:http2 receive of requests of 50 spans, a wire scan counting spans, an empty answer (the sink); nothing forwarded, per span acknowledged',
    'bench/load/sink.ts',
    { clientArgs: SMALL_REQUESTS, countOffered: true },
  ),
  telegate('telegate-small', 'telegate: the compression: none pipeline fed requests of 50 spans each', 'none', {
    clientArgs: SMALL_REQUESTS,
  }),
];
