// The one list of component factories telegate is built with: adding a component is one folder
// under components/ and one line here (STYLE.md rule 1). The folder carries what the conformance suite
// needs (testdata/conformance.yaml); `telegate components`, docs/components/ and the tests read this list.
import type { Factory } from '../contracts/component.ts';
import { otlpReceiverFactory } from './receivers/otlp/factory.ts';
import { batchFactory } from './processors/batch/factory.ts';
import { resourceFactory } from './processors/resource/factory.ts';
import { attributesFactory } from './processors/attributes/factory.ts';
import { k8sAttributesFactory } from './processors/k8sattributes/factory.ts';
import { memoryLimiterFactory } from './processors/memory_limiter/factory.ts';
import { probabilisticSamplerFactory } from './processors/probabilistic_sampler/factory.ts';
import { otlpExporterFactory } from './exporters/otlp/factory.ts';
import { otlpHttpExporterFactory } from './exporters/otlphttp/factory.ts';
import { debugExporterFactory } from './exporters/debug/factory.ts';
import { loggingExporterFactory } from './exporters/logging/factory.ts';
import { basicAuthFactory } from './extensions/basicauth/factory.ts';
import { bearerTokenAuthFactory } from './extensions/bearertokenauth/factory.ts';
import { jaegerStorageExporterFactory } from './exporters/jaeger_storage_exporter/factory.ts';
import { jaegerStorageFactory } from './extensions/jaeger_storage/factory.ts';
import { jaegerQueryFactory } from './extensions/jaeger_query/factory.ts';
import { healthCheckFactory } from './extensions/health_check/factory.ts';
import { fileStorageFactory } from './extensions/file_storage/factory.ts';

/** Every built-in factory, in the order `telegate components` lists them. */
export const BUILTIN_FACTORIES: readonly Factory[] = [
  otlpReceiverFactory,
  batchFactory,
  resourceFactory,
  attributesFactory,
  k8sAttributesFactory,
  memoryLimiterFactory,
  probabilisticSamplerFactory,
  otlpExporterFactory,
  otlpHttpExporterFactory,
  debugExporterFactory,
  loggingExporterFactory,
  basicAuthFactory,
  bearerTokenAuthFactory,
  jaegerStorageExporterFactory,
  jaegerStorageFactory,
  jaegerQueryFactory,
  healthCheckFactory,
  fileStorageFactory,
];
