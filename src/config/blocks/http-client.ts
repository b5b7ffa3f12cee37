// The HTTP client settings of an exporter, as Go's confighttp.ClientConfig (squashed into the exporter's
// own config, so the keys sit at the top level: endpoint, tls, headers, timeout, compression, auth, the
// connection pool limits). The keys telegate has no use for are accepted for compatibility and said so.
import Type from 'typebox';
import { Bytes, Duration, OptionalBlock, SecretMap } from './primitives.ts';
import type { Secret } from '../../util/secret.ts';
import { ClientAuthBlock, compressionLevelProblem, zstdLevelProblem } from './grpc-client.ts';
import { hasZstd } from '../../transport/zstd.ts';
import { hasSnappy } from '../../transport/snappy.ts';
import { TlsClientBlock, validateTlsClient, type TlsClientConfig } from './tls-client.ts';

/** Request body compressions telegate implements over HTTP with node:zlib (zstd too when a codec is present: transport/zstd.ts); `none` and '' send as is. */
export const HTTP_COMPRESSIONS = ['gzip', 'zlib', 'deflate', 'none', ''] as const;
/** Go's configcompression names that need a codec beyond node:zlib (snappy and zstd: when installed; lz4: none). */
const UNAVAILABLE_COMPRESSIONS = ['snappy', 'x-snappy-framed', 'zstd', 'lz4'];
/** snappy's two names: `snappy` is one block, `x-snappy-framed` the framing format (Go's confighttp). */
const SNAPPY_COMPRESSIONS = ['snappy', 'x-snappy-framed'];

/** The HTTP client properties, to be spread into an exporter's config object. */
export function httpClientProperties(defaults: { compression: string; timeout: string; writeBufferSize: number }) {
  return {
    endpoint: Type.String({
      default: '',
      description: 'Base URL of the server, with scheme: http://host:port (plaintext) or https://host:port (TLS).',
    }),
    proxy_url: Type.String({ default: '', description: 'Not supported by telegate yet; must stay empty.' }),
    tls: TlsClientBlock,
    headers: Type.Optional(SecretMap({ description: 'Headers added to every request; values are never logged.' })),
    timeout: Duration({
      default: defaults.timeout,
      description: 'Time to wait for each request, answer included; 0 = no limit.',
    }),
    compression: Type.String({
      default: defaults.compression,
      description:
        'Compression of request bodies: gzip, zstd, zlib, deflate, snappy (one block), x-snappy-framed (framing format) or none.',
    }),
    compression_params: Type.Object(
      {
        level: Type.Integer({
          default: 0,
          description:
            "Compression level: 1 (fastest) to 9 (smallest; zstd up to 22); 0 (unset) for telegate's default, 1 for gzip (Go uses 6; docs/perf-lab.md §7), 1 for zstd (Go's is about 3) and 6 for zlib/deflate; -1 for zlib's default, 6.",
        }),
      },
      { default: {}, additionalProperties: false, description: 'Parameters of the chosen compression.' },
    ),
    read_buffer_size: Bytes({
      default: 0,
      description: 'Accepted for compatibility; Node sizes socket buffers itself.',
    }),
    write_buffer_size: Bytes({
      default: defaults.writeBufferSize,
      description: 'Accepted for compatibility; Node sizes socket buffers itself.',
    }),
    max_idle_conns: Type.Integer({
      default: 100,
      minimum: 0,
      description:
        'Accepted for compatibility: an exporter talks to one host, so max_idle_conns_per_host is the limit that applies.',
    }),
    max_idle_conns_per_host: Type.Integer({
      default: 0,
      minimum: 0,
      description: "Idle keep-alive connections kept per host; 0 = Go's default of 2.",
    }),
    max_conns_per_host: Type.Integer({
      default: 0,
      minimum: 0,
      description: 'Connections per host, busy or idle; 0 = no limit.',
    }),
    idle_conn_timeout: Duration({ default: '90s', description: 'Close a keep-alive connection idle this long.' }),
    disable_keep_alives: Type.Boolean({ default: false, description: 'Open a new connection for each request.' }),
    auth: OptionalBlock(ClientAuthBlock),
  };
}

/** The parsed HTTP client settings as they appear inside an exporter config (durations in ms). */
export interface HttpClientConfig {
  endpoint: string;
  proxy_url: string;
  tls: TlsClientConfig;
  headers?: Record<string, Secret>;
  timeout: number;
  compression: string;
  compression_params: { level: number };
  read_buffer_size: number;
  write_buffer_size: number;
  max_idle_conns: number;
  max_idle_conns_per_host: number;
  max_conns_per_host: number;
  idle_conn_timeout: number;
  disable_keep_alives: boolean;
  auth: { authenticator: string } | undefined;
}

/** Go's ClientConfig.Validate plus the compression and unsupported-key rules, as [path, message]. */
export function validateHttpClient(cfg: HttpClientConfig): [string, string][] {
  const problems: [string, string][] = [];
  if (cfg.proxy_url !== '')
    problems.push(['proxy_url', 'proxy_url is not supported by telegate yet; remove it or send through the proxy']);
  const compression = compressionProblem(cfg.compression);
  if (compression !== undefined) problems.push(['compression', compression]);
  const level =
    cfg.compression === 'zstd'
      ? zstdLevelProblem(cfg.compression_params.level)
      : compressionLevelProblem(
          cfg.compression,
          cfg.compression_params.level,
          isCompressed(cfg.compression) && !SNAPPY_COMPRESSIONS.includes(cfg.compression),
          'takes',
        );
  if (level !== undefined) problems.push(['compression_params.level', level]);
  if (cfg.timeout < 0) problems.push(['timeout', "'timeout' must be non-negative"]);
  for (const [path, message] of validateTlsClient(cfg.tls)) problems.push([`tls.${path}`, message]);
  if (cfg.auth !== undefined && cfg.auth.authenticator === '')
    problems.push(['auth.authenticator', 'auth.authenticator must name an authenticator extension']);
  return problems;
}

/** Whether a (valid) `compression` value compresses request bodies. */
export function isCompressed(compression: string): boolean {
  return compression !== 'none' && compression !== '';
}

function compressionProblem(value: string): string | undefined {
  if ((HTTP_COMPRESSIONS as readonly string[]).includes(value)) return undefined;
  if (value === 'zstd' && hasZstd()) return undefined;
  if (SNAPPY_COMPRESSIONS.includes(value) && hasSnappy()) return undefined;
  if (UNAVAILABLE_COMPRESSIONS.includes(value))
    return `compression "${value}" is not supported by telegate yet (no codec in Node.js 20); use gzip, zlib, deflate or none`;
  return `unsupported compression type "${value}"; use gzip, zlib, deflate or none`;
}
