// The `otlp` receiver factory: receives OTLP traces, metrics and logs over gRPC and HTTP.
import type { ReceiverFactory } from '../../../contracts/component.ts';
import {
  OtlpReceiverConfigSchema,
  otlpAuthenticators,
  otlpEndpoints,
  validateOtlpConfig,
  type OtlpReceiverConfig,
} from './config.ts';
import { OtlpReceiver } from './receiver.ts';

/** Factory of the `otlp` receiver. */
export const otlpReceiverFactory: ReceiverFactory<OtlpReceiverConfig> = {
  kind: 'receiver',
  type: 'otlp',
  stability: { traces: 'stable', metrics: 'stable', logs: 'stable' },
  description: 'Receives OTLP traces, metrics and logs over gRPC (4317) and HTTP protobuf/JSON (4318).',
  configSchema: OtlpReceiverConfigSchema,
  validate: validateOtlpConfig,
  endpoints: otlpEndpoints,
  authenticators: otlpAuthenticators,
  create: (settings, config, next) => new OtlpReceiver(settings, config, next),
};
