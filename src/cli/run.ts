// `telegate [--config ...]`: run a collector until SIGINT/SIGTERM, then shut down draining: receivers
// stop taking data first, in-flight data goes out through the exporters within a deadline, exit 0.
import { ServiceLogger } from '../service/telemetry/logger.ts';
import { MetricsRegistry } from '../service/telemetry/metrics-registry.ts';
import { MetricsServer, registerProcessMetrics } from '../service/telemetry/metrics-server.ts';
import { Service } from '../service/service.ts';
import { TelegateError } from '../errors/catalogue.ts';
import { graphSpecOf, loadAndReport } from './load.ts';
import { version } from '../util/version.ts';
import { randomUUID } from 'node:crypto';
import { errorMessage } from '../errors/thrown.ts';
import { applyGcMode, GC_MODE_ENV, gcModeFor, invalidGcModeEnv } from '../service/gc-mode.ts';
import { compressionPlacement, invalidPlacementEnv, PLACEMENT_ENV } from '../transport/placement.ts';
import { usableCpus } from '../util/cpus.ts';

/** Resolves with the exit code once the collector has stopped. */
export async function runCollector(configs: readonly string[], sets: readonly string[]): Promise<number> {
  const { config } = await loadAndReport(configs, sets);
  if (!config) return 1;
  const { logs, metrics } = config.service.telemetry;
  const logger = new ServiceLogger(logs.level, logs.encoding);
  const registry = new MetricsRegistry({
    service_name: 'telegate',
    service_version: version(),
    service_instance_id: randomUUID(),
  });
  const metricsServer = metrics.address === undefined ? undefined : new MetricsServer(registry, metrics.address);
  if (configs.length === 0)
    logger.info('No --config given: running the built-in config (OTLP on localhost:4317 and :4318, debug exporter)');
  logger.info('Starting telegate...', { version: version() });
  const badGcMode = invalidGcModeEnv();
  if (badGcMode !== undefined) logger.warn(`${GC_MODE_ENV}=${badGcMode} is neither incremental nor atomic: ignored`);
  const gc = gcModeFor(config);
  applyGcMode(gc.mode);
  logger.debug(`V8 old-generation marking: ${gc.mode} (${gc.reason})`);
  const badPlacement = invalidPlacementEnv();
  if (badPlacement !== undefined) logger.warn(`${PLACEMENT_ENV}=${badPlacement} is neither loop nor pool: ignored`);
  logger.debug(`Compression runs on the ${compressionPlacement()} (${usableCpus()} usable CPUs)`);

  // Listen before starting: a signal that arrives while (or just after) the service reports ready
  // must lead to a draining shutdown, not to Node's default of dying on the spot.
  const signalled = waitForSignal(logger);
  let service: Service;
  try {
    registerProcessMetrics(registry);
    service = new Service(graphSpecOf(config), { logger, telemetry: registry });
    const address = await metricsServer?.start();
    if (address !== undefined) logger.info(`Serving metrics at http://${address}/metrics`);
    await service.start();
  } catch (err) {
    await metricsServer?.shutdown();
    logger.error(err instanceof TelegateError ? err.message : `failed to start: ${errorMessage(err)}`);
    return 1;
  }
  const signal = await signalled;
  logger.info('Received signal from OS', { signal });
  logger.info('Starting shutdown...');
  await service.shutdown();
  await metricsServer?.shutdown();
  logger.info('Shutdown complete.');
  return 0;
}

/** Resolves on the first SIGINT/SIGTERM; a second one exits at once with status 130. */
function waitForSignal(logger: ServiceLogger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (sig: NodeJS.Signals): void => {
      if (received) {
        logger.warn('Second signal received: exiting without waiting for the shutdown to finish');
        process.exit(130);
      }
      received = true;
      resolve(sig);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
