// Reading a server's answer to a probe: a short description for the printout, and what an answer
// that is plain HTTP where gRPC was expected (or a proxy's 5xx) says about the ingress in between.
import { grpcStatusName } from '../errors/grpc-status.ts';
import type { ProbeAnswer } from './grpc-probe.ts';
import type { Failure } from './result.ts';
import type { DoctorTarget } from './target.ts';

/** `gRPC status OK`, `HTTP 413 (text/html)`. */
export function describeAnswer(answer: ProbeAnswer): string {
  if (answer.grpcStatus !== undefined) return `gRPC status ${grpcStatusName(answer.grpcStatus)}`;
  return `HTTP ${answer.httpStatus}${answer.contentType === '' ? '' : ` (${answer.contentType})`}`;
}

/** Who answered, when a proxy says so: the `server` header (`nginx`) or the title of its error page. */
export function answeredBy(answer: ProbeAnswer): string {
  const server = answer.headers.server;
  if (typeof server === 'string' && server !== '') return server.split('/')[0] ?? server;
  return /nginx/i.test(answer.text) ? 'nginx' : '';
}

/** A gRPC call answered in plain HTTP: the proxy could not reach a gRPC backend, or passed the call to an HTTP/1.1 one. */
export function proxyAnswerFailure(target: DoctorTarget, answer: ProbeAnswer): Failure {
  const by = answeredBy(answer);
  const who = by === '' ? 'the server' : `the proxy (${by})`;
  // nginx relays a reply without an HTTP/1.x status line as it came (HTTP/0.9): here, the HTTP/2
  // frames a gRPC server sends to a client that spoke HTTP/1.1 to it.
  if (answer.httpStatus === 0) {
    return {
      finding: 'http1-upstream',
      detail: `the server answered HTTP/1.1: ${who} passed the call to its backend over HTTP/1.1, and the backend's HTTP/2 reply came back as raw bytes, without an HTTP status`,
      cause: 'the ingress speaks HTTP/1.1 to the gateway, whose OTLP gRPC port speaks only HTTP/2',
      fix: 'is `backend-protocol: GRPC` set on the ingress? (annotation nginx.ingress.kubernetes.io/backend-protocol: GRPC; plain nginx: grpc_pass, not proxy_pass)',
    };
  }
  if (answer.httpStatus >= 502 && answer.httpStatus <= 504) {
    return {
      finding: 'bad-gateway',
      detail: `${who} answered HTTP ${answer.httpStatus}, not ${target.protocol === 'grpc' ? 'gRPC' : 'OTLP'}: it got no usable answer from the backend`,
      cause:
        target.protocol === 'grpc'
          ? 'the proxy passes the call to the gateway over HTTP/1.1, which a gRPC server does not answer — or the gateway behind it is down'
          : 'the gateway behind the proxy is down or not reachable from it',
      fix:
        target.protocol === 'grpc'
          ? 'is `backend-protocol: GRPC` set on the ingress (annotation nginx.ingress.kubernetes.io/backend-protocol: GRPC; plain nginx: grpc_pass, not proxy_pass)? Then check that the gateway pods are ready'
          : 'check that the gateway pods are ready and the ingress points at the OTLP/HTTP port (4318)',
    };
  }
  return {
    finding: 'not-grpc',
    detail: `the server answered HTTP/1.1: HTTP ${answer.httpStatus}${answer.contentType === '' ? '' : ` (${answer.contentType})`} without a gRPC status, the answer of an HTTP server`,
    cause:
      'the call reached an HTTP server, not a gRPC one (an OTLP/HTTP port, or an ingress passing gRPC on as HTTP/1.1)',
    fix: 'is `backend-protocol: GRPC` set on the ingress? Otherwise point the endpoint at the OTLP gRPC port (4317), or use the otlphttp exporter for an HTTP endpoint',
  };
}
