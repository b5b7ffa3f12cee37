// OTLP/HTTP inputs for the receiver fuzz test: a fuzzed protobuf or JSON body (body-cases.ts) with one of
// the faults a client can make around it (Content-Encoding, Content-Type, path, method), and the statuses
// the receiver may answer, in its own order of checks (path, method, content type, encoding, then body).
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Signal } from '../../src/contracts/signal.ts';
import { arbJsonBody, arbProtoBody, arbZstdBody, type Body, type Corpus } from './body-cases.ts';
import { BOMB, HTTP_BODY, HTTP_PATHS, type FuzzInput, type Wrapped } from './fuzz-input.ts';

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
    headers: { 'content-encoding': ['br', 'x-snappy', 'lz4', 'x-bogus', 'gzip, gzip', 'compress'][n % 6] as string },
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
