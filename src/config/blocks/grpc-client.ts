// The gRPC client settings of an exporter, as Go's configgrpc.ClientConfig (squashed into the exporter's
// own config, so the keys sit at the top level: endpoint, tls, headers, compression, keepalive, …).
import Type, { type Static } from 'typebox';
import { parseGrpcEndpoint } from '../../transport/endpoint.ts';
import { Bytes, Duration, OptionalBlock, SecretMap } from './primitives.ts';
import type { Secret } from '../../util/secret.ts';
import { TlsClientBlock, validateTlsClient, type TlsClientConfig } from './tls-client.ts';
import { hasZstd } from '../../transport/zstd.ts';
import { hasSnappy } from '../../transport/snappy.ts';

/** Compression names Go's configcompression accepts; Go's configgrpc sends gzip, snappy and zstd. */
const KNOWN_COMPRESSION = ['gzip', 'zlib', 'deflate', 'snappy', 'x-snappy-framed', 'zstd', 'lz4', 'none', ''];
/** Balancers grpc-go registers by default. With one HTTP/2 connection both behave the same here. */
const BALANCERS = ['round_robin', 'pick_first'];

/** The `keepalive` block (off unless present, as the Go OTLP exporter defaults it). */
export const KeepaliveClientBlock = Type.Object(
  {
    time: Duration({ default: '10s', description: 'Send an HTTP/2 PING after this long without activity.' }),
    timeout: Duration({
      default: '10s',
      description: 'Close the connection if a PING is not answered within this long.',
    }),
    permit_without_stream: Type.Boolean({ default: false, description: 'Also send PINGs when no call is in flight.' }),
  },
  { additionalProperties: false, description: 'HTTP/2 keepalive pings.' },
);
export type KeepaliveClientConfig = Static<typeof KeepaliveClientBlock>;

/** The client `auth` block: an authenticator extension adds credentials to each request. */
export const ClientAuthBlock = Type.Object(
  { authenticator: Type.String({ description: 'Id of the client authenticator extension (e.g. bearertokenauth).' }) },
  { additionalProperties: false, description: 'Authentication of outgoing requests.' },
);

/** The gRPC client properties, to be spread into an exporter's config object. */
export function grpcClientProperties(defaults: { compression: string; writeBufferSize: number }) {
  return {
    endpoint: Type.String({
      default: '',
      description: 'host:port of the gRPC server; also dns:///host:port, http(s)://host:port or unix:///path.',
    }),
    compression: Type.String({
      default: defaults.compression,
      description: 'Compression of requests: gzip, zstd, snappy (framed, as Go sends it) or none.',
    }),
    compression_params: Type.Object(
      {
        level: Type.Integer({
          default: 0,
          description:
            "gzip level: 1 (fastest) to 9 (smallest); 0 (unset) for telegate's default, 1 (Go uses 6); -1 for zlib's default, 6. On OTLP spans level 6 costs about 2.3× the CPU of level 1 for 7 % fewer bytes (docs/perf-lab.md §7). zstd level: 1 to 22; 0 (unset) for telegate's default, 1 (Go's is about 3: level 3 costs 60 % more CPU for 6 % fewer bytes).",
        }),
      },
      {
        default: {},
        additionalProperties: false,
        description: 'Parameters of the chosen compression (Go configcompression).',
      },
    ),
    tls: TlsClientBlock,
    headers: Type.Optional(
      SecretMap({ description: 'Metadata (HTTP/2 headers) added to every request; values are never logged.' }),
    ),
    keepalive: OptionalBlock(KeepaliveClientBlock),
    read_buffer_size: Bytes({
      default: 0,
      description: 'Accepted for compatibility; Node sizes socket buffers itself.',
    }),
    write_buffer_size: Bytes({
      default: defaults.writeBufferSize,
      description: 'Accepted for compatibility; Node sizes socket buffers itself.',
    }),
    wait_for_ready: Type.Boolean({
      default: false,
      description: 'While the connection is down, wait (up to the timeout) instead of failing at once.',
    }),
    balancer_name: Type.String({
      default: 'round_robin',
      description: 'round_robin or pick_first; telegate keeps one HTTP/2 connection either way.',
    }),
    authority: Type.String({
      default: '',
      description: 'Overrides the :authority header (default: the endpoint host:port).',
    }),
    user_agent: Type.String({
      default: '',
      description: 'Overrides the user-agent header (default telegate/<version>).',
    }),
    auth: OptionalBlock(ClientAuthBlock),
  };
}

/** The parsed gRPC client settings as they appear inside an exporter config. */
export interface GrpcClientConfig {
  endpoint: string;
  compression: string;
  compression_params: { level: number };
  tls: TlsClientConfig;
  headers?: Record<string, Secret>;
  keepalive: KeepaliveClientConfig | undefined;
  read_buffer_size: number;
  write_buffer_size: number;
  wait_for_ready: boolean;
  balancer_name: string;
  authority: string;
  user_agent: string;
  auth: { authenticator: string } | undefined;
}

/** Go's ClientConfig.Validate plus the endpoint and compression rules, as [path, message]. */
export function validateGrpcClient(cfg: GrpcClientConfig): [string, string][] {
  const problems: [string, string][] = [];
  const parsed = parseGrpcEndpoint(cfg.endpoint);
  if (!parsed.ok) problems.push(['endpoint', parsed.message]);
  const compression = validateCompression(cfg.compression);
  if (compression !== undefined) problems.push(['compression', compression]);
  const level =
    cfg.compression === 'zstd'
      ? zstdLevelProblem(cfg.compression_params.level)
      : compressionLevelProblem(cfg.compression, cfg.compression_params.level, isGzip(cfg.compression), 'gzip takes');
  if (level !== undefined) problems.push(['compression_params.level', level]);
  if (cfg.balancer_name !== '' && !BALANCERS.includes(cfg.balancer_name)) {
    problems.push(['balancer_name', `invalid balancer_name: ${cfg.balancer_name} (use round_robin or pick_first)`]);
  }
  for (const [path, message] of validateTlsClient(cfg.tls)) problems.push([`tls.${path}`, message]);
  if (cfg.auth !== undefined && cfg.auth.authenticator === '')
    problems.push(['auth.authenticator', 'auth.authenticator must name an authenticator extension']);
  return problems;
}

/**
 * Go's configcompression rule for `compression_params.level`: 0 (unset) always passes; else the
 * compression must take levels and the level be -1 or 1–9. `takes` starts the hint ("gzip takes").
 */
export function compressionLevelProblem(
  compression: string,
  level: number,
  takesLevels: boolean,
  takes: string,
): string | undefined {
  if (level === 0 || (takesLevels && level >= -1 && level <= 9)) return undefined;
  const hint = takesLevels ? ` (${takes} -1 or 1 to 9)` : '';
  return `unsupported parameters {Level:${level}} for compression type "${compression}"${hint}`;
}

/** Whether a `compression` value means gzip on the wire. */
export function isGzip(compression: string): boolean {
  return compression === 'gzip';
}

/** zstd's levels: 1 (fastest) to 22 (smallest); 0 is unset (zstd's default, 3). */
export function zstdLevelProblem(level: number): string | undefined {
  if (level >= 0 && level <= 22) return undefined;
  return `unsupported parameters {Level:${level}} for compression type "zstd" (zstd takes 1 to 22)`;
}

function validateCompression(value: string): string | undefined {
  if (value === 'gzip' || value === 'none' || value === '') return undefined;
  const use = `gzip${hasZstd() ? ', zstd' : ''}${hasSnappy() ? ', snappy' : ''} or none`;
  if (value === 'zstd')
    return hasZstd() ? undefined : `compression "zstd" needs a zstd codec, which this build lacks; use ${use}`;
  if (value === 'snappy')
    return hasSnappy() ? undefined : `compression "snappy" needs a snappy codec, which this build lacks; use ${use}`;
  if (!KNOWN_COMPRESSION.includes(value)) return `unsupported compression type "${value}"; use ${use}`;
  return `unsupported compression type "${value}" for gRPC; use ${use}`;
}
