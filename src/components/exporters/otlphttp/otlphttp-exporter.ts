// The otlphttp exporter instance: the signal's URL, its sender (otlphttp-sender.ts) and the
// exporterhelper chain (queue → retry → timeout) around it; the authenticator is found at start.
import type { CreateSettings } from '../../../contracts/component.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { resolveAuthenticator } from '../../authhelper/resolve-authenticator.ts';
import { ExporterHelper } from '../../exporterhelper/exporter-helper.ts';
import { SIGNAL_ENDPOINT_KEY, type OtlpHttpExporterConfig } from './config.ts';
import { OtlpHttpSender } from './otlphttp-sender.ts';
import { signalUrl } from './signal-url.ts';

/** Knobs tests (and the service) may set beyond the config. */
export interface OtlpHttpExporterInternals {
  readonly shutdownTimeoutMs?: number;
  readonly busyRetryAfterMs?: number;
}

/** Builds the exporter instance for one (id, signal). The config must have passed validation. */
export function createOtlpHttpExporter(
  settings: CreateSettings,
  cfg: OtlpHttpExporterConfig,
  signal: Signal,
  internals: OtlpHttpExporterInternals = {},
): ExporterHelper {
  const sender = new OtlpHttpSender(settings.logger, cfg, signal, urlOf(settings, cfg, signal));
  return new ExporterHelper(settings, {
    signal,
    push: sender.push,
    timeoutMs: cfg.timeout,
    retry: cfg.retry_on_failure,
    queue: cfg.sending_queue,
    start: (host) => {
      const id = cfg.auth?.authenticator;
      if (id === undefined) return Promise.resolve();
      const at = `exporters.${settings.id.id}.auth.authenticator`;
      sender.useAuthenticator(id, resolveAuthenticator(host, id, at, 'client'));
      return Promise.resolve();
    },
    shutdown: () => {
      sender.close();
      return Promise.resolve();
    },
    ...(internals.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: internals.shutdownTimeoutMs }),
    ...(internals.busyRetryAfterMs === undefined ? {} : { busyRetryAfterMs: internals.busyRetryAfterMs }),
  });
}

// Go fails the creation of a signal's exporter that has no URL; validation cannot know the signals used.
function urlOf(settings: CreateSettings, cfg: OtlpHttpExporterConfig, signal: Signal): URL {
  const key = SIGNAL_ENDPOINT_KEY[signal];
  if (cfg.endpoint === '' && cfg[key] === '') {
    throw new TelegateError(
      'TG_START_FAILED',
      `exporter ${settings.id.id}: either endpoint or ${key} must be specified for the ${signal} pipeline`,
    );
  }
  return signalUrl(cfg.endpoint, cfg[key], signal);
}
