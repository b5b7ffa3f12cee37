// Step 4: the server speaks the exporter's protocol — HTTP/2 and gRPC for otlp, HTTP/1.1 for otlphttp.
// An empty export is sent (with the exporter's credentials); its answer is judged here for the
// protocol and handed to the auth step for the verdict on the credentials.
import { readFirstBytes } from './first-bytes.ts';
import { sendExport } from './export-probe.ts';
import { EMPTY_EXPORT } from './probe-body.ts';
import type { ProbeAnswer, ProbeFailure } from './grpc-probe.ts';
import { fail, pass, type Failure, type StepResult } from './result.ts';
import { describeAnswer, proxyAnswerFailure } from './answer.ts';
import type { DoctorTarget } from './target.ts';

/** The protocol step's result and the empty export's answer (for the auth step) when there was one. */
export interface ProtocolOutcome {
  readonly result: StepResult;
  readonly answer?: ProbeAnswer;
}

const GRPC_UNIMPLEMENTED = 12;
// Answers without a gRPC status that still show HTTP/2 works: refusals a proxy makes on its own.
const PROXY_VERDICTS = new Set([401, 403, 413, 429]);

/** Sends the empty export and checks the answer is the expected protocol. */
export async function checkProtocol(
  target: DoctorTarget,
  address: string,
  alpn: string,
  timeoutMs: number,
): Promise<ProtocolOutcome> {
  if (target.protocol === 'grpc') {
    const early = await grpcPreflight(target, address, alpn, timeoutMs);
    if (early !== undefined) return { result: fail('protocol', early) };
  }
  const answer = await sendExport(target, address, EMPTY_EXPORT, timeoutMs);
  if (!answer.ok) return { result: fail('protocol', await noAnswer(target, address, answer, timeoutMs)) };
  const problem = target.protocol === 'grpc' ? grpcProblem(target, answer) : httpProblem(target, answer);
  if (problem !== undefined) return { result: fail('protocol', problem) };
  const what = target.protocol === 'grpc' ? 'HTTP/2 and gRPC' : 'HTTP';
  return { result: pass('protocol', `${what}: ${target.authority} answered ${describeAnswer(answer)}`), answer };
}

// Before the call: an HTTP/1.1-only server (seen in ALPN, or in its answer to the HTTP/2 preface) or a TLS port.
async function grpcPreflight(
  target: DoctorTarget,
  address: string,
  alpn: string,
  timeoutMs: number,
): Promise<Failure | undefined> {
  if (target.useTls)
    return alpn === 'http/1.1' ? http1Only(target, 'in the TLS handshake it chose http/1.1, not h2') : undefined;
  const first = await readFirstBytes(address, target.port, timeoutMs);
  if (first === 'http1') return http1Only(target, 'it answered the HTTP/2 preface with an HTTP/1.1 response');
  if (first === 'tls' || first === 'closed') return expectsTls(target, first);
  return undefined;
}

function http1Only(target: DoctorTarget, how: string): Failure {
  return {
    finding: 'http1',
    detail: `the server answered HTTP/1.1: ${target.authority} does not speak HTTP/2 (${how})`,
    cause:
      'gRPC needs HTTP/2 end to end; this port is an HTTP/1.1 server (an OTLP/HTTP receiver, or a proxy without HTTP/2)',
    fix: 'dial the gRPC port (OTLP/gRPC 4317), or use the otlphttp exporter for an HTTP/1.1 endpoint; on an ingress, enable HTTP/2 and set `nginx.ingress.kubernetes.io/backend-protocol: GRPC`',
  };
}

function expectsTls(target: DoctorTarget, seen: 'tls' | 'closed'): Failure {
  return {
    finding: 'expects-tls',
    detail:
      seen === 'tls'
        ? `${target.authority} answered the plaintext connection with TLS: it is a TLS port`
        : `${target.authority} closed the connection without answering HTTP/2: it probably expects TLS`,
    cause: `${target.name} sends in plaintext (${target.plaintextSetting}) to a server that expects TLS`,
    fix: `drop ${target.plaintextSetting} (use TLS) and, if the server's CA is private, set tls.ca_file`,
  };
}

function grpcProblem(target: DoctorTarget, answer: ProbeAnswer): Failure | undefined {
  if (answer.grpcStatus === GRPC_UNIMPLEMENTED) {
    return {
      finding: 'not-otlp',
      detail: `${target.authority} speaks gRPC but has no OTLP trace service (UNIMPLEMENTED: ${answer.grpcMessage})`,
      cause: 'the endpoint is another gRPC service, not an OTLP receiver',
      fix: "point the endpoint at the gateway's OTLP gRPC receiver (port 4317 by default)",
    };
  }
  if (answer.grpcStatus !== undefined || PROXY_VERDICTS.has(answer.httpStatus)) return undefined;
  return proxyAnswerFailure(target, answer);
}

function httpProblem(target: DoctorTarget, answer: ProbeAnswer): Failure | undefined {
  if (answer.httpStatus === 404) {
    return {
      finding: 'not-found',
      detail: `no OTLP/HTTP receiver at ${target.url?.pathname ?? '/'} of ${target.authority} (404)`,
      cause:
        "the URL path is not the receiver's (OTLP/HTTP takes /v1/traces), or the ingress routes this path elsewhere",
      fix: 'set endpoint to the base URL (the exporter appends /v1/traces), or traces_endpoint to the full URL',
    };
  }
  if (answer.httpStatus >= 502 && answer.httpStatus <= 504) return proxyAnswerFailure(target, answer);
  return undefined;
}

// No answer at all: find out what is on the port from its first bytes.
async function noAnswer(
  target: DoctorTarget,
  address: string,
  failure: ProbeFailure,
  timeoutMs: number,
): Promise<Failure> {
  const detail = `no ${target.protocol === 'grpc' ? 'gRPC' : 'HTTP'} answer from ${target.authority}: ${failure.message}`;
  if (target.protocol === 'http' && !target.useTls) {
    const first = await readFirstBytes(address, target.port, timeoutMs);
    if (first === 'http2') {
      return {
        finding: 'grpc-port',
        detail: `${detail}; the port speaks HTTP/2 only (a gRPC port)`,
        cause: 'otlphttp sends HTTP/1.1 to a gRPC-only port',
        fix: 'use the OTLP/HTTP port (4318) in the endpoint, or the otlp exporter for the gRPC port',
      };
    }
    if (first === 'tls' || first === 'closed') return { ...expectsTls(target, first), detail };
  }
  return {
    finding: 'no-answer',
    detail,
    cause: 'the connection opened but the server did not answer the export',
    fix: 'check that the port is an OTLP receiver (gRPC 4317, HTTP 4318) or an ingress in front of one',
  };
}
