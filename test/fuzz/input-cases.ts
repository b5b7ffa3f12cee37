// Whole requests for the receiver fuzz test: a body (body-cases.ts) wrapped in gRPC framing or an
// OTLP/HTTP request, each with one of the faults a client can make around it (framing, compression,
// content type, path, method), and the answers the receiver may give it, in the receiver's own order of
// checks (path/method/content type, then encoding, then body).
import { gzipSync, deflateRawSync, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import type { Signal } from '../../src/contracts/signal.ts';
import { arbJsonBody, arbProtoBody, arbZstdBody, type Body, type Corpus } from './body-cases.ts';

/** One request to send, and what may come back. */
export interface FuzzInput {
  readonly transport: 'grpc' | 'http';
  /** What the input is, e.g. `grpc:huge-length proto:flip`. */
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Acceptable answers: gRPC status codes (grpc) or HTTP statuses (http). */
  readonly expect: readonly number[];
}

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
export const G = { OK: 0, INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13 } as const;
/** The receiver's limits in the fuzz config (max_recv_msg_size_mib, max_request_body_size). */
export const MAX_BYTES = 1024 * 1024;

const GRPC_PATHS: Readonly<Record<Signal, string>> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};
const HTTP_PATHS: Readonly<Record<Signal, string>> = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' };

/** Answers to a body that reaches the export: accepted (maybe after a repair-free parse) or malformed. */
const GRPC_BODY = [G.OK, G.INVALID_ARGUMENT];
const HTTP_BODY = [200, 400];

// A gzip bomb: 16 MiB of zeros in about 16 KiB, inflating far past MAX_BYTES.
const BOMB = gzipSync(Buffer.alloc(16 * MAX_BYTES));

function frame(flag: number, length: number, message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flag;
  head.writeUInt32BE(length >>> 0, 1);
  return Buffer.concat([head, message]);
}

interface Wrapped {
  readonly fault: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly expect: readonly number[];
  readonly method?: string;
  readonly path?: string;
}

type GrpcFault = (m: Buffer, n: number) => Wrapped;

/** Frame-level faults around a gRPC message; `n` is a random number each may use. */
const GRPC_FAULTS: Readonly<Record<string, GrpcFault>> = {
  ok: (m) => ({ fault: 'ok', headers: {}, body: frame(0, m.length, m), expect: GRPC_BODY }),
  gzip: (m) => ({
    fault: 'gzip',
    headers: { 'grpc-encoding': 'gzip' },
    body: gzFrame(m),
    expect: GRPC_BODY,
  }),
  'gzip-flag-0': (m) => ({
    fault: 'gzip-flag-0',
    headers: { 'grpc-encoding': 'gzip' },
    body: frame(0, m.length, m),
    expect: GRPC_BODY,
  }),
  'compressed-no-encoding': (m) => ({
    fault: 'compressed-no-encoding',
    headers: {},
    body: frame(1, m.length, m),
    expect: [G.INTERNAL],
  }),
  'compressed-identity': (m) => ({
    fault: 'compressed-identity',
    headers: { 'grpc-encoding': 'identity' },
    body: frame(1, m.length, m),
    expect: [G.INTERNAL],
  }),
  'gzip-garbage': (m) => ({
    fault: 'gzip-garbage',
    headers: { 'grpc-encoding': 'gzip' },
    body: frame(1, m.length, m),
    expect: [G.INTERNAL],
  }),
  'gzip-truncated': (m, n) => {
    const z = gzipSync(m);
    const cut = z.subarray(0, n % z.length);
    return {
      fault: 'gzip-truncated',
      headers: { 'grpc-encoding': 'gzip' },
      body: frame(1, cut.length, cut),
      expect: [G.INTERNAL],
    };
  },
  'gzip-bomb': () => ({
    fault: 'gzip-bomb',
    headers: { 'grpc-encoding': 'gzip' },
    body: frame(1, BOMB.length, BOMB),
    expect: [G.RESOURCE_EXHAUSTED],
  }),
  'bad-encoding': (_m, n) => ({
    fault: 'bad-encoding',
    headers: { 'grpc-encoding': ['snappy', 'br', 'lz4', 'deflate', 'x-bogus', 'GZIP'][n % 6] as string },
    body: frame(1, 3, Buffer.from('abc')),
    expect: [G.UNIMPLEMENTED],
  }),
  'bad-flag': (m, n) => ({
    fault: 'bad-flag',
    headers: {},
    body: frame(2 + (n % 254), m.length, m),
    expect: [G.INTERNAL],
  }),
  'huge-length': (m, n) => ({
    fault: 'huge-length',
    headers: {},
    body: frame(0, [MAX_BYTES + 1, 2 ** 31, 2 ** 32 - 1][n % 3] as number, m),
    expect: [G.RESOURCE_EXHAUSTED],
  }),
  // A length within the limit, the stream ended before it was all sent.
  'short-body': (m, n) => ({
    fault: 'short-body',
    headers: {},
    body: frame(0, Math.min(MAX_BYTES, m.length + 1 + (n % 100_000)), m),
    expect: [G.INTERNAL],
  }),
  'partial-header': (_m, n) => ({
    fault: 'partial-header',
    headers: {},
    body: Buffer.from([0, 0, 0, 0]).subarray(0, n % 5),
    expect: [G.INTERNAL],
  }),
  'two-messages': (m) => ({
    fault: 'two-messages',
    headers: {},
    body: Buffer.concat([frame(0, m.length, m), frame(0, 0, Buffer.alloc(0))]),
    expect: [G.INTERNAL],
  }),
  'trailing-bytes': (m, n) => ({
    fault: 'trailing-bytes',
    headers: {},
    body: Buffer.concat([frame(0, m.length, m), Buffer.alloc(1 + (n % 4))]),
    expect: [G.INTERNAL],
  }),
  'bad-content-type': (m, n) => ({
    fault: 'bad-content-type',
    headers: {
      'content-type': [
        'application/json',
        'application/x-protobuf',
        'text/plain',
        'application/grpc-web',
        'application/grpcx',
      ][n % 5] as string,
    },
    body: frame(0, m.length, m),
    expect: [G.INTERNAL],
  }),
  'unknown-method': (m, n) => ({
    fault: 'unknown-method',
    headers: {},
    body: frame(0, m.length, m),
    expect: [G.UNIMPLEMENTED],
    path: ['/opentelemetry.proto.collector.trace.v1.TraceService/Exports', '/x.Y/Export', '/', '/v1/traces'][
      n % 4
    ] as string,
  }),
  'not-post': (m) => ({
    fault: 'not-post',
    headers: {},
    body: frame(0, m.length, m),
    expect: [G.INTERNAL],
    method: 'PUT',
  }),
};

function gzFrame(m: Buffer): Buffer {
  const z = gzipSync(m);
  return frame(1, z.length, z);
}

const GRPC_FAULT_NAMES = Object.keys(GRPC_FAULTS);
// Valid framing carries most of the fuzzed bodies; every fault still gets thousands of runs in 100,000.
const arbGrpcFault = fc.oneof(
  { weight: 8, arbitrary: fc.constant('ok') },
  { weight: 6, arbitrary: fc.constantFrom(...GRPC_FAULT_NAMES) },
);

/** gRPC answers to a zstd message: what the export says, a corrupt or too large body. */
const GRPC_ZSTD = {
  valid: GRPC_BODY,
  mutated: [G.OK, G.INVALID_ARGUMENT, G.RESOURCE_EXHAUSTED, G.INTERNAL],
  bomb: [G.RESOURCE_EXHAUSTED],
} as const;

/** A gRPC call carrying a zstd message (grpc-encoding: zstd). */
function arbGrpcZstd(corpus: Corpus, signal: Signal): fc.Arbitrary<FuzzInput> {
  return arbZstdBody(corpus, signal).map((z) => ({
    transport: 'grpc' as const,
    label: `grpc:zstd ${z.label}`,
    method: 'POST',
    path: GRPC_PATHS[signal],
    headers: { 'content-type': 'application/grpc', te: 'trailers', 'grpc-encoding': 'zstd' },
    body: frame(1, z.bytes.length, z.bytes),
    expect: GRPC_ZSTD[z.kind],
  }));
}

/** A gRPC call of `signal` with a fuzzed body and, sometimes, a framing or header fault. */
export function arbGrpcInput(corpus: Corpus, signal: Signal): fc.Arbitrary<FuzzInput> {
  return fc.oneof(
    { weight: 12, arbitrary: arbGrpcFramed(corpus, signal) },
    { weight: 1, arbitrary: arbGrpcZstd(corpus, signal) },
  );
}

/**
 * grpc-timeout values that must not end a call early: far deadlines (past a Node timer's 2^31 − 1 ms among
 * them) and malformed ones (ignored, as grpc-go does). Short valid deadlines are left out: they make the
 * answer a race.
 */
const TIMEOUTS = ['60S', '2147484S', '99999999S', '99999999M', '99999999H', '123456789S', '10s', '-1S', '1.5S', 'abc'];
const arbTimeout = fc.option(fc.constantFrom(...TIMEOUTS), { freq: 3 });

function arbGrpcFramed(corpus: Corpus, signal: Signal): fc.Arbitrary<FuzzInput> {
  return fc.tuple(arbProtoBody(corpus, signal), arbGrpcFault, fc.nat(), arbTimeout).map(([body, name, n, timeout]) => {
    const w = (GRPC_FAULTS[name] as GrpcFault)(body.bytes, n);
    const deadline = timeout === null ? {} : { 'grpc-timeout': timeout };
    return {
      transport: 'grpc',
      label: `grpc:${w.fault} ${body.label}${timeout === null ? '' : ` grpc-timeout:${timeout}`}`,
      method: w.method ?? 'POST',
      path: w.path ?? GRPC_PATHS[signal],
      headers: { 'content-type': 'application/grpc', te: 'trailers', ...deadline, ...w.headers },
      body: w.body,
      expect: w.expect,
    };
  });
}

type HttpFault = (b: Buffer, n: number) => Wrapped;

const HTTP_FAULTS: Readonly<Record<string, HttpFault>> = {
  ok: (b) => ({ fault: 'ok', headers: {}, body: b, expect: HTTP_BODY }),
  gzip: (b) => ({ fault: 'gzip', headers: { 'content-encoding': 'gzip' }, body: gzipSync(b), expect: HTTP_BODY }),
  deflate: (b, n) => ({
    fault: 'deflate',
    headers: { 'content-encoding': 'deflate' },
    body: n % 2 === 0 ? deflateSync(b) : deflateRawSync(b),
    expect: HTTP_BODY,
  }),
  'gzip-garbage': (b) => ({ fault: 'gzip-garbage', headers: { 'content-encoding': 'gzip' }, body: b, expect: [400] }),
  'gzip-truncated': (b, n) => {
    const z = gzipSync(b);
    return {
      fault: 'gzip-truncated',
      headers: { 'content-encoding': 'gzip' },
      body: z.subarray(0, n % z.length),
      expect: [400],
    };
  },
  'gzip-bomb': () => ({ fault: 'gzip-bomb', headers: { 'content-encoding': 'gzip' }, body: BOMB, expect: [413] }),
  'bad-encoding': (b, n) => ({
    fault: 'bad-encoding',
    headers: { 'content-encoding': ['br', 'snappy', 'lz4', 'x-bogus', 'gzip, gzip', 'compress'][n % 6] as string },
    body: b,
    expect: [415],
  }),
  'bad-content-type': (b, n) => ({
    fault: 'bad-content-type',
    headers: {
      'content-type': ['text/plain', 'application/grpc', 'application/protobuf', 'application/jsonl', ''][
        n % 5
      ] as string,
    },
    body: b,
    expect: [415],
  }),
  'unknown-path': (b, n) => ({
    fault: 'unknown-path',
    headers: {},
    body: b,
    expect: [404],
    path: ['/v1/trace', '/', '/v1/traces/x', '/V1/TRACES', '/v1/logs/'][n % 5] as string,
  }),
  'not-post': (b, n) => ({
    fault: 'not-post',
    headers: {},
    body: b,
    expect: [405],
    method: ['PUT', 'PATCH', 'DELETE'][n % 3] as string,
  }),
};

const HTTP_FAULT_NAMES = Object.keys(HTTP_FAULTS);
const arbHttpFault = fc.oneof(
  { weight: 8, arbitrary: fc.constant('ok') },
  { weight: 5, arbitrary: fc.constantFrom(...HTTP_FAULT_NAMES) },
);

const HTTP_ZSTD = { valid: HTTP_BODY, mutated: [200, 400, 413], bomb: [413] } as const;

/** An OTLP/HTTP protobuf request with Content-Encoding: zstd. */
function arbHttpZstd(corpus: Corpus, signal: Signal): fc.Arbitrary<FuzzInput> {
  return arbZstdBody(corpus, signal).map((z) => ({
    transport: 'http' as const,
    label: `http:zstd ${z.label}`,
    method: 'POST',
    path: HTTP_PATHS[signal],
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'zstd' },
    body: z.bytes,
    expect: HTTP_ZSTD[z.kind],
  }));
}

/** An OTLP/HTTP request of `signal`: protobuf or JSON, fuzzed body, sometimes a fault around it. */
export function arbHttpInput(corpus: Corpus, signal: Signal): fc.Arbitrary<FuzzInput> {
  return fc.oneof(
    { weight: 12, arbitrary: arbHttpBody(corpus, signal) },
    { weight: 1, arbitrary: arbHttpZstd(corpus, signal) },
  );
}

function arbHttpBody(corpus: Corpus, signal: Signal): fc.Arbitrary<FuzzInput> {
  const proto = arbProtoBody(corpus, signal).map((b) => ({ b, type: 'application/x-protobuf' }));
  const json = arbJsonBody(corpus, signal).map((b: Body) => ({ b, type: 'application/json' }));
  return fc.tuple(fc.oneof(proto, json), arbHttpFault, fc.nat()).map(([{ b, type }, name, n]) => {
    const w = (HTTP_FAULTS[name] as HttpFault)(b.bytes, n);
    return {
      transport: 'http',
      label: `http:${w.fault} ${b.label}`,
      method: w.method ?? 'POST',
      path: w.path ?? HTTP_PATHS[signal],
      headers: { 'content-type': type, ...w.headers },
      body: w.body,
      expect: w.expect,
    };
  });
}

/** Any fuzz input: either transport, any signal. */
export function arbInput(corpus: Corpus): fc.Arbitrary<FuzzInput> {
  const signals = ['traces', 'metrics', 'logs'] as const;
  return fc.oneof(...signals.flatMap((s) => [arbGrpcInput(corpus, s), arbHttpInput(corpus, s)]));
}

/** A valid request (the corpus, unmutated) that must be accepted: the control interleaved with the fuzz. */
export function controlInput(corpus: Corpus, i: number): FuzzInput {
  const signal = (['traces', 'metrics', 'logs'] as const)[i % 3] ?? 'traces';
  const bases = corpus.proto[signal];
  const m = bases[i % bases.length] as Buffer;
  if (i % 2 === 0)
    return {
      transport: 'grpc',
      label: 'control:grpc',
      method: 'POST',
      path: GRPC_PATHS[signal],
      headers: { 'content-type': 'application/grpc', te: 'trailers' },
      body: frame(0, m.length, m),
      expect: [G.OK],
    };
  return {
    transport: 'http',
    label: 'control:http',
    method: 'POST',
    path: HTTP_PATHS[signal],
    headers: { 'content-type': 'application/x-protobuf' },
    body: m,
    expect: [200],
  };
}
