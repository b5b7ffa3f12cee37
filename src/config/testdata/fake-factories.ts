// Small fake factories for the config tests: shaped like the real components (otlp, batch,
// resource, k8sattributes, debug/logging, basicauth, health_check) but with no behaviour.
import Type from 'typebox';
import type {
  Component,
  ExporterFactory,
  ExtensionFactory,
  Factory,
  ProcessorFactory,
  ReceiverFactory,
} from '../../contracts/component.ts';
import type { Consumer } from '../../contracts/consumer.ts';
import { SUCCESS } from '../../contracts/consumer.ts';
import { AnyValue, Bytes, Duration, OptionalBlock, SecretString, SecretMap } from '../blocks/primitives.ts';
import { registryOf, type Registry } from '../types.ts';

const noop: Component & Consumer = {
  start: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
  consume: () => Promise.resolve(SUCCESS),
};
const ALL = { traces: 'stable', metrics: 'stable', logs: 'stable' } as const;
const Auth = Type.Object({ authenticator: Type.String({ description: 'Extension id.' }) });

const GrpcServer = Type.Object({
  endpoint: Type.String({ default: '0.0.0.0:4317', description: 'host:port' }),
  max_recv_msg_size_mib: Type.Integer({ minimum: 1, default: 4, description: 'MiB' }),
  auth: Type.Optional(Auth),
});
const HttpServer = Type.Object({ endpoint: Type.String({ default: '0.0.0.0:4318', description: 'host:port' }) });
const OtlpReceiverConfig = Type.Object({
  protocols: Type.Object({ grpc: OptionalBlock(GrpcServer), http: OptionalBlock(HttpServer) }),
});
interface OtlpReceiverShape {
  protocols: { grpc?: { endpoint: string }; http?: { endpoint: string } };
}

export const otlpReceiver: ReceiverFactory = {
  kind: 'receiver',
  type: 'otlp',
  stability: ALL,
  description: 'fake otlp receiver',
  configSchema: OtlpReceiverConfig,
  create: () => noop,
  validate: (c) => {
    const p = (c as OtlpReceiverShape).protocols;
    return p.grpc === undefined && p.http === undefined
      ? [['protocols', 'must specify at least one protocol (grpc or http)']]
      : [];
  },
  endpoints: (c) => {
    const p = (c as OtlpReceiverShape).protocols;
    return [
      ...(p.grpc === undefined ? [] : [{ path: 'protocols.grpc.endpoint', endpoint: p.grpc.endpoint }]),
      ...(p.http === undefined ? [] : [{ path: 'protocols.http.endpoint', endpoint: p.http.endpoint }]),
    ];
  },
};

export const hostmetricsReceiver: ReceiverFactory = {
  kind: 'receiver',
  type: 'hostmetrics',
  stability: { metrics: 'beta' },
  description: 'fake metrics-only receiver',
  configSchema: Type.Object({ collection_interval: Duration({ default: '1m', description: 'interval' }) }),
  create: () => noop,
};

export const batchProcessor: ProcessorFactory = {
  kind: 'processor',
  type: 'batch',
  stability: ALL,
  description: 'fake batch',
  configSchema: Type.Object({
    timeout: Duration({ default: '200ms', description: 'flush after' }),
    send_batch_size: Type.Integer({ minimum: 0, default: 8192, description: 'items' }),
    send_batch_max_size: Bytes({ default: 0, description: 'bytes' }),
  }),
  create: () => noop,
};

export const resourceProcessor: ProcessorFactory = {
  kind: 'processor',
  type: 'resource',
  stability: ALL,
  description: 'fake resource',
  configSchema: Type.Object({
    attributes: Type.Array(
      Type.Object({
        key: Type.String({ minLength: 1, description: 'key' }),
        value: Type.Optional(AnyValue({ description: 'value' })),
        action: Type.Union(
          [Type.Literal('insert'), Type.Literal('update'), Type.Literal('upsert'), Type.Literal('delete')],
          { description: 'action' },
        ),
      }),
      { default: [], description: 'actions' },
    ),
  }),
  create: () => noop,
};

export const k8sattributesProcessor: ProcessorFactory = {
  kind: 'processor',
  type: 'k8sattributes',
  stability: ALL,
  description: 'fake k8sattributes',
  configSchema: Type.Object({
    filter: Type.Optional(Type.Object({ node_from_env_var: Type.Optional(Type.String({ description: 'env var' })) })),
    passthrough: Type.Boolean({ default: false, description: 'pass through' }),
  }),
  create: () => noop,
};

const OtlpExporterConfig = Type.Object({
  endpoint: Type.String({ minLength: 1, description: 'host:port' }),
  tls: Type.Object({
    insecure: Type.Boolean({ default: false, description: 'plain text' }),
    insecure_skip_verify: Type.Boolean({ default: false, description: 'skip verify' }),
    ca_file: Type.Optional(Type.String({ description: 'CA' })),
  }),
  auth: Type.Optional(Auth),
  headers: Type.Optional(SecretMap({ description: 'headers' })),
  timeout: Duration({ default: '5s', description: 'timeout' }),
  compression: Type.Union([Type.Literal('gzip'), Type.Literal('none'), Type.Literal('zstd')], {
    default: 'gzip',
    description: 'compression',
  }),
});

export const otlpExporter: ExporterFactory = {
  kind: 'exporter',
  type: 'otlp',
  stability: ALL,
  description: 'fake otlp exporter',
  configSchema: OtlpExporterConfig,
  create: () => noop,
};

const DebugConfig = Type.Object({
  verbosity: Type.Union([Type.Literal('basic'), Type.Literal('normal'), Type.Literal('detailed')], {
    default: 'basic',
    description: 'detail',
  }),
});
export const debugExporter: ExporterFactory = {
  kind: 'exporter',
  type: 'debug',
  stability: ALL,
  description: 'fake debug',
  configSchema: DebugConfig,
  create: () => noop,
};
export const loggingExporter: ExporterFactory = {
  ...debugExporter,
  type: 'logging',
  deprecation: 'use the `debug` exporter instead',
};
export const metricsOnlyExporter: ExporterFactory = {
  kind: 'exporter',
  type: 'prometheus',
  stability: { metrics: 'beta' },
  description: 'fake metrics-only',
  configSchema: Type.Object({}),
  create: () => noop,
};

interface BasicAuthShape {
  htpasswd?: unknown;
  client_auth?: unknown;
}
export const basicauthExtension: ExtensionFactory = {
  kind: 'extension',
  type: 'basicauth',
  stability: { extension: 'beta' },
  description: 'fake basicauth',
  configSchema: Type.Object({
    htpasswd: Type.Optional(
      Type.Object({
        file: Type.Optional(Type.String({ description: 'f' })),
        inline: Type.Optional(Type.String({ description: 'i' })),
      }),
    ),
    client_auth: Type.Optional(
      Type.Object({ username: Type.String({ description: 'u' }), password: SecretString({ description: 'p' }) }),
    ),
  }),
  create: () => noop,
  validate: (c) => {
    const b = c as BasicAuthShape;
    return (b.htpasswd === undefined) === (b.client_auth === undefined)
      ? [['', 'set exactly one of htpasswd (server) or client_auth (client)']]
      : [];
  },
};

export const healthCheckExtension: ExtensionFactory = {
  kind: 'extension',
  type: 'health_check',
  stability: { extension: 'stable' },
  description: 'fake health_check',
  configSchema: Type.Object({ endpoint: Type.String({ default: '0.0.0.0:13133', description: 'host:port' }) }),
  create: () => noop,
  endpoints: (c) => [{ path: 'endpoint', endpoint: (c as { endpoint: string }).endpoint }],
};

/** Every fake. */
export const FAKE_FACTORIES: readonly Factory[] = [
  otlpReceiver,
  hostmetricsReceiver,
  batchProcessor,
  resourceProcessor,
  k8sattributesProcessor,
  otlpExporter,
  debugExporter,
  loggingExporter,
  metricsOnlyExporter,
  basicauthExtension,
  healthCheckExtension,
];

/** A registry of every fake. */
export function fakeRegistry(): Registry {
  return registryOf(FAKE_FACTORIES);
}
