// The otlp exporter's config, key for key as Go's otlpexporter.Config: the squashed gRPC client settings
// (endpoint, tls, headers, compression gzip by default, …), timeout, retry_on_failure and sending_queue.
import Type, { type Static } from 'typebox';
import { Duration } from '../../../config/blocks/primitives.ts';
import { grpcClientProperties, validateGrpcClient, type GrpcClientConfig } from '../../../config/blocks/grpc-client.ts';
import { RetryBlock, defaultRetryConfig, validateRetry } from '../../../config/blocks/retry.ts';
import { defaultQueueConfig, queueBlock, validateQueue } from '../../../config/blocks/queue.ts';
import { defaultTlsClientConfig } from '../../../config/blocks/tls-client.ts';

/** The otlp exporter schema. */
export const OtlpExporterConfigSchema = Type.Object(
  {
    ...grpcClientProperties({ compression: 'gzip', writeBufferSize: 512 * 1024 }),
    timeout: Duration({ default: '5s', description: 'Time to wait for each attempt to send data; 0 = no limit.' }),
    retry_on_failure: RetryBlock,
    sending_queue: queueBlock(true),
  },
  { additionalProperties: false, description: 'Sends OTLP over gRPC to a collector or backend.' },
);

/** The parsed otlp exporter config (durations in ms). */
export type OtlpExporterConfig = Static<typeof OtlpExporterConfigSchema> & GrpcClientConfig;

/** Cross-field rules: Go's Config.Validate and those of its blocks, as [path, message]. */
export function validateOtlpExporterConfig(config: unknown): [string, string][] {
  const cfg = config as OtlpExporterConfig;
  if (cfg.endpoint.trim() === '') return [['endpoint', 'requires a non-empty "endpoint"']];
  const problems = validateGrpcClient(cfg);
  if (cfg.timeout < 0) problems.push(['timeout', "'timeout' must be non-negative"]);
  for (const [path, message] of validateRetry(cfg.retry_on_failure))
    problems.push([`retry_on_failure.${path}`, message]);
  for (const [path, message] of validateQueue(cfg.sending_queue)) problems.push([`sending_queue.${path}`, message]);
  return problems;
}

/** Go's createDefaultConfig with `endpoint` set, as the schema's defaults parse. */
export function defaultOtlpExporterConfig(endpoint: string): OtlpExporterConfig {
  return {
    endpoint,
    compression: 'gzip',
    compression_params: { level: 0 },
    tls: defaultTlsClientConfig(),
    keepalive: undefined,
    read_buffer_size: 0,
    write_buffer_size: 512 * 1024,
    wait_for_ready: false,
    balancer_name: 'round_robin',
    authority: '',
    user_agent: '',
    auth: undefined,
    timeout: 5000,
    retry_on_failure: defaultRetryConfig(),
    sending_queue: defaultQueueConfig(true),
  };
}
