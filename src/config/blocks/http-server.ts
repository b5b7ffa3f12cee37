// The HTTP server block, keys and defaults as Go's confighttp.ServerConfig. A component builds it with
// its own default endpoint (`httpServerProperties('localhost:4318')`) and may add keys of its own.
import Type, { type Static } from 'typebox';
import { AuthBlock } from './auth.ts';
import { ServerTransport } from './grpc-server.ts';
import { Bytes, Duration, OptionalBlock } from './primitives.ts';
import { TlsServerBlock } from './tls-server.ts';
import type { CorsOptions } from '../../transport/http-server-cors.ts';

/** Content-Encoding names Go's confighttp knows; the empty string means "no encoding". */
export const KNOWN_COMPRESSION_ALGORITHMS = [
  '',
  'gzip',
  'zstd',
  'zlib',
  'snappy',
  'deflate',
  'lz4',
  'x-snappy-framed',
] as const;

/** `cors:` of an HTTP server (Go's confighttp.CORSConfig). */
export const CorsBlock = Type.Object(
  {
    allowed_origins: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Origins allowed to send cross-origin requests; `*` matches any run of characters (`https://*.example.com`, or `*` for all).',
      }),
    ),
    allowed_headers: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Extra request headers allowed in cross-origin requests (Accept, Content-Type, … are always allowed); `*` allows any.',
      }),
    ),
    exposed_headers: Type.Optional(
      Type.Array(Type.String(), { description: 'Response headers a browser may expose to the page.' }),
    ),
    max_age: Type.Optional(
      Type.Integer({
        description: 'Seconds a browser may cache a preflight response (Access-Control-Max-Age).',
        minimum: 0,
      }),
    ),
  },
  {
    description: 'Cross-origin resource sharing for browser clients; off unless allowed_origins is set.',
    additionalProperties: false,
  },
);

/** A parsed `cors:` block. */
export type CorsConfig = Static<typeof CorsBlock>;

/** The options of a validated `cors:` block (undefined when the block is absent: CORS off). */
export function corsOptionsOf(cfg: CorsConfig | undefined): CorsOptions | undefined {
  if (cfg === undefined) return undefined;
  return {
    allowedOrigins: cfg.allowed_origins ?? [],
    allowedHeaders: cfg.allowed_headers,
    exposedHeaders: cfg.exposed_headers,
    maxAgeSeconds: cfg.max_age,
  };
}

/** The properties of an HTTP server block, with `defaultEndpoint` as the endpoint default. */
export function httpServerProperties(defaultEndpoint: string) {
  return {
    endpoint: Type.String({
      description:
        'host:port to listen on (`localhost` binds 127.0.0.1, `:port` or `0.0.0.0:port` all interfaces), or a socket path with transport unix.',
      default: defaultEndpoint,
    }),
    transport: ServerTransport,
    tls: OptionalBlock(TlsServerBlock),
    cors: OptionalBlock(CorsBlock),
    auth: OptionalBlock(AuthBlock),
    max_request_body_size: Bytes({
      description: 'Largest request body accepted, before and after decompression; larger requests get 413.',
      default: '20MiB',
    }),
    include_metadata: Type.Boolean({ description: 'Pass request headers downstream with the data.', default: false }),
    read_header_timeout: Duration({
      description:
        'How long a client may take to send the request line and headers (slowloris); past it the connection gets 408 and is closed. 0 uses read_timeout.',
      default: '1m',
    }),
    read_timeout: Duration({
      description:
        "How long a client may take to send a whole request, body included; past it the connection gets 408 and is closed. 0 means no limit. telegate's default is 1m (Go's is 0): a body sent a byte at a time would otherwise hold its memory and connection for ever. Keep it above backpressure_timeout, during which a body is not read.",
      default: '1m',
    }),
    compression_algorithms: Type.Array(
      Type.Union([
        Type.Literal(''),
        Type.Literal('gzip'),
        Type.Literal('zstd'),
        Type.Literal('zlib'),
        Type.Literal('snappy'),
        Type.Literal('deflate'),
        Type.Literal('lz4'),
        Type.Literal('x-snappy-framed'),
      ]),
      {
        description:
          'Content-Encodings accepted ("" = none). telegate decodes gzip, zlib, deflate, zstd, snappy (block, or framed as older Go exporters sent it) and x-snappy-framed; lz4 is answered with 415.',
        default: [...KNOWN_COMPRESSION_ALGORITHMS],
      },
    ),
  };
}

/** An HTTP server block with no component default endpoint (for typing). */
export const HttpServerBlock = Type.Object(httpServerProperties(''), {
  description: 'HTTP server settings.',
  additionalProperties: false,
});

/** The parsed HTTP server block (sizes in bytes). */
export type HttpServerConfig = Static<typeof HttpServerBlock>;
