// The `otlp` receiver's config: Go's otlpreceiver.Config (protocols.grpc = configgrpc.ServerConfig,
// protocols.http = confighttp.ServerConfig + the three URL paths), its cross-field rules, and the
// endpoints it binds for the service's address-conflict check, and the authenticators it names.
import Type, { type Static } from 'typebox';
import type { AuthenticatorRef, Endpoint } from '../../../contracts/component.ts';
import { grpcServerProperties } from '../../../config/blocks/grpc-server.ts';
import { httpServerProperties } from '../../../config/blocks/http-server.ts';
import { Duration, OptionalBlock } from '../../../config/blocks/primitives.ts';
import { validateTlsServer, type TlsServerConfig } from '../../../config/blocks/tls-server.ts';
import { parseEndpoint } from '../../../transport/http-server-listen.ts';

const urlPath = (signal: string, path: string) =>
  Type.String({ description: `URL path receiving ${signal}; a missing leading "/" is added.`, default: path });

const GrpcProtocol = Type.Object(grpcServerProperties('localhost:4317'), {
  description: 'Receive OTLP over gRPC (ExportTraceService, ExportMetricsService, ExportLogsService).',
  additionalProperties: false,
});

const HttpProtocol = Type.Object(
  {
    ...httpServerProperties('localhost:4318'),
    traces_url_path: urlPath('traces', '/v1/traces'),
    metrics_url_path: urlPath('metrics', '/v1/metrics'),
    logs_url_path: urlPath('logs', '/v1/logs'),
  },
  {
    description: 'Receive OTLP over HTTP, protobuf or JSON bodies (POST /v1/traces, /v1/metrics, /v1/logs).',
    additionalProperties: false,
  },
);

// telegate only; the names and the first two defaults are those of Go contrib's otelarrow receiver
// (`admission.request_limit_mib`, `waiting_limit_mib`), whose semantics fit: bytes admitted, bytes waiting.
const AdmissionBlock = Type.Object(
  {
    request_limit_mib: Type.Integer({
      description:
        'Request bytes the receiver may hold in memory at once, across all connections and both protocols, in MiB: gRPC messages being received (their declared size, reserved before it is allocated), HTTP bodies being read and bodies awaiting decompression. Past it a request waits unread (HTTP/2 or TCP flow control holds the client), at most backpressure_timeout and its own deadline, then is refused with UNAVAILABLE / 503 and retry advice. One request larger than the limit passes alone. 0 disables the budget.',
      default: 128,
      minimum: 0,
    }),
    waiting_limit_mib: Type.Integer({
      description:
        'Request bytes (declared sizes) that may wait for request_limit_mib at once, in MiB; past it a request is refused at once instead of waiting.',
      default: 32,
      minimum: 0,
    }),
    body_timeout: Duration({
      default: '1m',
      description:
        "How long a gRPC call's message may take to arrive once the receiver reads it (a stalled or very slow client, slowloris), when its own grpc-timeout does not end it sooner; past it the call gets DEADLINE_EXCEEDED and its bytes go back to the budget. HTTP bodies are bounded by protocols.http.read_timeout. 0 means no limit.",
    }),
  },
  {
    description:
      "telegate only (from Go contrib's otelarrow receiver): a memory budget for request bytes held by this receiver, so that many large or half-sent requests cannot exhaust memory.",
    additionalProperties: false,
    default: {},
  },
);

/** The `otlp` receiver config schema. */
export const OtlpReceiverConfigSchema = Type.Object(
  {
    protocols: Type.Object(
      {
        grpc: OptionalBlock(GrpcProtocol),
        http: OptionalBlock(HttpProtocol),
      },
      {
        description:
          'The protocols to serve; each is on only when its key is present (`grpc:` alone enables it with defaults).',
        additionalProperties: false,
        default: {},
      },
    ),
    backpressure_timeout: Duration({
      default: '5s',
      description:
        "telegate only (Go has no such key): how long a request waits for room when its pipeline is full (the batch processor holds its maximum, a sending queue is full) before it is refused with UNAVAILABLE / 503 and retry advice; also bounded by the request's own grpc-timeout. Its body is not read while it waits. 0 refuses at once.",
    }),
    admission: AdmissionBlock,
  },
  { description: 'OTLP receiver: accepts traces, metrics and logs over gRPC and HTTP.', additionalProperties: false },
);

/** The parsed config. */
export type OtlpReceiverConfig = Static<typeof OtlpReceiverConfigSchema>;
/** The parsed `protocols.grpc` block. */
export type OtlpGrpcConfig = Static<typeof GrpcProtocol>;
/** The parsed `admission` block. */
export type OtlpAdmissionConfig = Static<typeof AdmissionBlock>;
/** The parsed `protocols.http` block. */
export type OtlpHttpConfig = Static<typeof HttpProtocol>;

/** Go's SanitizedURLPath: the path part only, with a leading `/`. */
export function normalizeUrlPath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? '';
  return bare.startsWith('/') ? bare : `/${bare}`;
}

type Problem = readonly [path: string, message: string];

/** Cross-field rules after the schema has passed. */
export function validateOtlpConfig(config: unknown): readonly Problem[] {
  const cfg = config as OtlpReceiverConfig;
  const problems: Problem[] = [];
  const { grpc, http } = cfg.protocols;
  if (grpc === undefined && http === undefined) {
    problems.push(['protocols', 'must specify at least one protocol when using the OTLP receiver']);
  }
  if (grpc !== undefined) {
    checkEndpoint(problems, 'protocols.grpc', grpc.endpoint, grpc.transport);
    checkTls(problems, 'protocols.grpc.tls', grpc.tls);
  }
  if (http !== undefined) {
    checkEndpoint(problems, 'protocols.http', http.endpoint, http.transport);
    checkTls(problems, 'protocols.http.tls', http.tls);
    checkUrlPaths(problems, http);
  }
  return problems;
}

function checkEndpoint(problems: Problem[], at: string, endpoint: string, transport: string): void {
  const parsed = parseEndpoint(endpoint, transport);
  if (typeof parsed === 'string') problems.push([`${at}.endpoint`, parsed]);
}

function checkTls(problems: Problem[], at: string, tls: TlsServerConfig | undefined): void {
  if (tls === undefined) return;
  for (const [key, message] of validateTlsServer(tls)) problems.push([key === '' ? at : `${at}.${key}`, message]);
}

function checkUrlPaths(problems: Problem[], http: OtlpHttpConfig): void {
  const seen = new Map<string, string>();
  for (const key of ['traces_url_path', 'metrics_url_path', 'logs_url_path'] as const) {
    const raw = http[key];
    if (/\s/.test(raw))
      problems.push([`protocols.http.${key}`, `invalid HTTP URL path "${raw}": it contains white space`]);
    const path = normalizeUrlPath(raw);
    const other = seen.get(path);
    if (other !== undefined) problems.push([`protocols.http.${key}`, `path "${path}" is already used by ${other}`]);
    seen.set(path, key);
  }
}

/** The endpoints this config binds (TCP only; unix sockets cannot clash on an address). */
export function otlpEndpoints(config: unknown): readonly Endpoint[] {
  const { grpc, http } = (config as OtlpReceiverConfig).protocols;
  const out: Endpoint[] = [];
  if (grpc !== undefined && grpc.transport !== 'unix')
    out.push({ path: 'protocols.grpc.endpoint', endpoint: grpc.endpoint });
  if (http !== undefined && http.transport !== 'unix')
    out.push({ path: 'protocols.http.endpoint', endpoint: http.endpoint });
  return out;
}

/** The server authenticators the enabled protocols name, for config validation. */
export function otlpAuthenticators(config: unknown): readonly AuthenticatorRef[] {
  const { grpc, http } = (config as OtlpReceiverConfig).protocols;
  const out: AuthenticatorRef[] = [];
  if (grpc?.auth !== undefined) out.push({ path: 'protocols.grpc.auth.authenticator', id: grpc.auth.authenticator });
  if (http?.auth !== undefined) out.push({ path: 'protocols.http.auth.authenticator', id: http.auth.authenticator });
  return out;
}
