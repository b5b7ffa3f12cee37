// Whole requests for the receiver fuzz test: any input of either transport (grpc-cases.ts,
// http-cases.ts), and the valid control requests interleaved with them.
import fc from 'fast-check';
import type { Corpus } from './body-cases.ts';
import { frame, G, GRPC_PATHS, HTTP_PATHS, type FuzzInput } from './fuzz-input.ts';
import { arbGrpcInput } from './grpc-cases.ts';
import { arbHttpInput } from './http-cases.ts';

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
