// The gRPC server block, keys and defaults as Go's configgrpc.ServerConfig. A component builds it with
// its own default endpoint (`grpcServerProperties('localhost:4317')`) and may add keys of its own.
import Type, { type Static } from 'typebox';
import { AuthBlock } from './auth.ts';
import { Bytes, Duration, OptionalBlock } from './primitives.ts';
import { TlsServerBlock } from './tls-server.ts';

/** `transport:` of a server. */
export const ServerTransport = Type.Union(
  [Type.Literal('tcp'), Type.Literal('tcp4'), Type.Literal('tcp6'), Type.Literal('unix')],
  {
    description: 'Listener kind: tcp (default), tcp4, tcp6, or unix (then endpoint is a socket path).',
    default: 'tcp',
  },
);

const ServerParameters = Type.Object(
  {
    max_connection_idle: Type.Optional(
      Duration({ description: 'Close a connection (GOAWAY) after it has had no call for this long; unset: never.' }),
    ),
    max_connection_age: Type.Optional(
      Duration({ description: 'Close a connection (GOAWAY) once it is this old (±10% jitter); unset: never.' }),
    ),
    max_connection_age_grace: Type.Optional(
      Duration({
        description:
          'After max_connection_age, how long calls in flight may finish before the connection is cut; unset: forever.',
      }),
    ),
    time: Duration({
      description: 'Ping the client after this long without activity to check the connection.',
      default: '2h',
    }),
    timeout: Duration({
      description: 'Close the connection when a keepalive ping is not answered within this.',
      default: '20s',
    }),
  },
  { description: 'Server-side keepalive (gRPC ServerParameters).', additionalProperties: false },
);

const EnforcementPolicy = Type.Object(
  {
    min_time: Duration({
      description: 'Minimum interval between client pings; faster clients get GOAWAY (too_many_pings).',
      default: '5m',
    }),
    permit_without_stream: Type.Boolean({
      description: 'Allow client pings while no call is in flight.',
      default: false,
    }),
  },
  {
    description: 'What client keepalive pings the server tolerates (gRPC EnforcementPolicy).',
    additionalProperties: false,
  },
);

/** `keepalive:` of a gRPC server. */
export const GrpcKeepaliveBlock = Type.Object(
  {
    server_parameters: OptionalBlock(ServerParameters),
    enforcement_policy: OptionalBlock(EnforcementPolicy),
  },
  { description: 'Keepalive settings of the gRPC server.', additionalProperties: false },
);

/** The properties of a gRPC server block, with `defaultEndpoint` as the endpoint default. */
export function grpcServerProperties(defaultEndpoint: string) {
  return {
    endpoint: Type.String({
      description:
        'host:port to listen on (`localhost` binds 127.0.0.1, `:port` or `0.0.0.0:port` all interfaces), or a socket path with transport unix.',
      default: defaultEndpoint,
    }),
    transport: ServerTransport,
    tls: OptionalBlock(TlsServerBlock),
    max_recv_msg_size_mib: Type.Integer({
      description:
        'Largest request message accepted, in MiB (compressed and decompressed); larger calls get RESOURCE_EXHAUSTED.',
      default: 4,
      minimum: 0,
    }),
    max_concurrent_streams: Type.Integer({
      description:
        "Calls in flight per connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS); 0 means no limit. telegate's default is 100 (Go's is 0, unlimited): every call may hold a message being assembled, so one connection must not open thousands; RFC 9113 §6.5.2 advises no less than 100.",
      default: 100,
      minimum: 0,
    }),
    read_buffer_size: Bytes({
      description: 'Accepted for compatibility with Go; Node sizes its socket buffers itself.',
      default: 524288,
    }),
    write_buffer_size: Type.Optional(
      Bytes({ description: 'Accepted for compatibility with Go; Node sizes its socket buffers itself.' }),
    ),
    keepalive: OptionalBlock(GrpcKeepaliveBlock),
    include_metadata: Type.Boolean({
      description: 'Pass request metadata (headers) downstream with the data.',
      default: false,
    }),
    auth: OptionalBlock(AuthBlock),
  };
}

/** A gRPC server block with no component default endpoint (for typing). */
export const GrpcServerBlock = Type.Object(grpcServerProperties(''), {
  description: 'gRPC server settings.',
  additionalProperties: false,
});

/** The parsed gRPC server block (durations in ms, sizes in bytes). */
export type GrpcServerConfig = Static<typeof GrpcServerBlock>;
