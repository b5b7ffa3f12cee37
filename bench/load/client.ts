// The load client: a raw node:http2 gRPC client (about 1/3 the CPU of grpc-js per call, perf-lab.md §3)
// that keeps `--inflight` unary OTLP trace Export calls open over `--conns` sessions, all sending the same
// prebuilt request, until a deadline, a call budget or "stop". Counts OK responses and errors.
// Usage: node --import tsx bench/load/client.ts --target 127.0.0.1:4317 [--conns 4] [--inflight 16]
//        [--seconds 60] [--max-calls 1000000] [--spans 1000] [--authorization 'Basic …'] [--gzip]
//        [--tls-ca cert.pem]; stdin: "snap" | "stop".
// --gzip sends every request gzip-compressed (grpc-encoding: gzip) as edge collectors do: at level 6 (Go's
// default), ending as Go's compress/gzip ends it, in an empty final stored block (made with telegate's own
// gzip-member.ts; `--gzip-style zlib` makes it with zlib's gzipSync instead, which ends in a block with data,
// as SDKs that send gzip straight to a gateway do). The body is compressed once at start, so the client's own
// CPU stays per call, not per byte. --tls-ca connects over TLS
// and verifies the target's certificate against that file.
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { gzipSync } from 'node:zlib';
import { gzipMember } from '../../src/transport/gzip-member.ts';
import { frameMessage } from '../../src/transport/grpc-framing.ts';
import { buildPayload } from './payload.ts';
import { CONNECTION_WINDOW, H2_SETTINGS, exportRequestHeaders } from './grpc-h2.ts';
import { cpuSeconds, emit, numberArg, onCommands, parseArgs, splitHostPort } from './control.ts';
import { errorMessage } from '../../src/errors/thrown.ts';

const MAX_RECONNECTS = 50;
const ERROR_PAUSE_MS = 5; // keeps a failing target from turning the client into a busy loop on CPU 0
const STOP_GRACE_MS = 5000;

const args = parseArgs(process.argv.slice(2));
const target = args.get('target') ?? '127.0.0.1:4317';
const { host, port } = splitHostPort(target);
const conns = Math.max(1, numberArg(args, 'conns', 4));
const inflight = Math.max(conns, numberArg(args, 'inflight', 16));
const deadline = Date.now() + numberArg(args, 'seconds', 60) * 1000;
const maxCalls = numberArg(args, 'max-calls', 1_000_000);
const callTimeoutMs = numberArg(args, 'call-timeout-ms', 10_000);

const spansPerRequest = numberArg(args, 'spans', 1000);
// Distinct requests sent in turn: enough that a batch (8,192 spans, the batch processor's default) never holds
// the same request twice, so the compressed rows pay for real data (bench/README.md "Payload").
const distinct = Math.min(
  1024,
  Math.max(1, numberArg(args, 'distinct', Math.max(16, Math.ceil((2 * 8192) / spansPerRequest)))),
);
const payloads = Array.from({ length: distinct }, (_, v) => buildPayload(spansPerRequest, v));
const payload = payloads[0]!;
const gzip = args.has('gzip');
const gzipped = async (bytes: Buffer): Promise<Buffer> =>
  args.get('gzip-style') === 'zlib'
    ? gzipSync(bytes, { level: 6 })
    : Buffer.concat(await gzipMember([{ plain: [bytes] }], 6, 'loop'));
const bodies = await Promise.all(
  payloads.map(async (p) => (gzip ? frameMessage(await gzipped(p.bytes), true) : frameMessage(p.bytes, false))),
);
let nextBody = 0;
const headers = exportRequestHeaders(target);
if (gzip) headers['grpc-encoding'] = 'gzip';
const tlsCa = args.get('tls-ca');
const ca = tlsCa === undefined ? undefined : readFileSync(tlsCa);
// --authorization 'Basic …' sends credentials on every call (the auth benchmark).
const authorization = args.get('authorization');
if (authorization !== undefined) headers.authorization = authorization;

const stats = { calls: 0, ok: 0, okSpans: 0, errors: 0, latencyMsSum: 0, reconnects: 0 };
// Latency of every finished call since the last snapshot (bounded by the call budget), for its p99.
let latencies: number[] = [];
const errorSamples = new Map<string, number>();
const sessions: http2.ClientHttp2Session[] = [];
let active = 0;
let stopping = false;

function recordError(reason: string): void {
  stats.errors++;
  if (errorSamples.size < 8 || errorSamples.has(reason)) errorSamples.set(reason, (errorSamples.get(reason) ?? 0) + 1);
}

function connect(i: number): http2.ClientHttp2Session {
  const options = { settings: H2_SETTINGS, maxSessionMemory: 1024, ...(ca === undefined ? {} : { ca }) };
  const session = http2.connect(`${ca === undefined ? 'http' : 'https'}://${host}:${port}`, options);
  session.on('connect', () => {
    session.setLocalWindowSize(CONNECTION_WINDOW);
  });
  session.on('error', (err) => {
    recordError(`session: ${err.message}`);
  });
  sessions[i] = session;
  return session;
}

function sessionFor(i: number): http2.ClientHttp2Session | undefined {
  const s = sessions[i];
  if (s !== undefined && !s.closed && !s.destroyed) return s;
  if (stats.reconnects >= MAX_RECONNECTS) return undefined;
  if (s !== undefined) stats.reconnects++;
  return connect(i);
}

/** Issues one call on session `i`, and the next when it completes, until stopped. */
function call(i: number): void {
  const session = stopping || stats.calls >= maxCalls || Date.now() >= deadline ? undefined : sessionFor(i);
  if (session === undefined) {
    active--;
    if (active === 0) finish();
    return;
  }
  stats.calls++;
  const started = performance.now();
  let grpcStatus: string | undefined;
  let grpcMessage = '';
  let stream: http2.ClientHttp2Stream;
  try {
    stream = session.request(headers);
  } catch (err) {
    recordError(`request: ${errorMessage(err)}`);
    setTimeout(() => {
      call(i);
    }, ERROR_PAUSE_MS);
    return;
  }
  const readStatus = (h: http2.IncomingHttpHeaders): void => {
    if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
    if (h['grpc-message'] !== undefined) grpcMessage = decodeURIComponent(String(h['grpc-message']));
  };
  stream.on('response', readStatus);
  stream.on('trailers', readStatus);
  stream.on('data', () => undefined);
  stream.on('error', (err) => {
    grpcMessage ||= err.message;
  });
  stream.setTimeout(callTimeoutMs, () => {
    grpcMessage = 'call timeout';
    stream.close(http2.constants.NGHTTP2_CANCEL);
  });
  stream.on('close', () => {
    if (latencies.length < maxCalls) latencies.push(performance.now() - started);
    if (grpcStatus === '0') {
      stats.ok++;
      stats.okSpans += payload.spans;
      stats.latencyMsSum += performance.now() - started;
      call(i);
      return;
    }
    recordError(`grpc-status ${grpcStatus ?? '(none)'}: ${grpcMessage.slice(0, 160)}`);
    setTimeout(() => {
      call(i);
    }, ERROR_PAUSE_MS);
  });
  stream.end(bodies[nextBody++ % bodies.length]);
}

function snapshot(): Record<string, unknown> {
  const sorted = latencies.sort((a, b) => a - b);
  const p = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  latencies = [];
  return {
    ...stats,
    cpu: cpuSeconds(),
    errorSamples: Object.fromEntries(errorSamples),
    // Over the calls finished since the previous snapshot.
    p50Ms: p(0.5),
    p99Ms: p(0.99),
    maxMs: sorted.at(-1) ?? 0,
  };
}

let finished = false;
function finish(): void {
  if (finished) return;
  finished = true;
  emit('final', snapshot());
  for (const s of sessions) s.destroy();
  process.exit(0);
}

function main(): void {
  onCommands((command) => {
    if (command === 'snap') emit('snap', snapshot());
    else if (command === 'stop') {
      stopping = true;
      setTimeout(finish, STOP_GRACE_MS).unref();
    }
  }, finish);
  setTimeout(finish, deadline - Date.now() + callTimeoutMs + STOP_GRACE_MS).unref();
  emit('ready', {
    pid: process.pid,
    requestBytes: payload.bytes.length,
    wireBytes: Math.round(bodies.reduce((n, b) => n + b.length, 0) / bodies.length),
    distinctRequests: distinct,
    spansPerRequest: payload.spans,
    bytesPerSpan: payload.bytesPerSpan,
  });
  for (let i = 0; i < conns; i++) connect(i);
  for (let n = 0; n < inflight; n++) {
    active++;
    call(n % conns);
  }
}

main();
