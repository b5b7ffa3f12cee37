// gRPC inputs for the receiver fuzz test: a fuzzed protobuf body (body-cases.ts) in gRPC framing, with
// one of the faults a client can make around it (framing, compression flag and grpc-encoding, content type,
// path, method, grpc-timeout), and the statuses the receiver may answer, in its own order of checks
// (method, content type, path, encoding, then framing, decompression and body).
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Signal } from '../../src/contracts/signal.ts';
import { arbProtoBody, arbZstdBody, type Corpus } from './body-cases.ts';
import { BOMB, frame, G, GRPC_BODY, GRPC_PATHS, MAX_BYTES, type FuzzInput, type Wrapped } from './fuzz-input.ts';

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
    headers: { 'grpc-encoding': ['x-snappy', 'br', 'lz4', 'deflate', 'x-bogus', 'GZIP'][n % 6] as string },
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
