// The debug exporter's push: Go's one info line of counts per batch ("Traces", "Metrics", "Logs"), then
// for normal / detailed verbosity the text of the batch as one more info line, all through a sampler.
import type { CreateSettings } from '../../../contracts/component.ts';
import { SUCCESS, type ConsumeResult } from '../../../contracts/consumer.ts';
import type { Payload } from '../../../contracts/payload.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { decodeRequest } from '../../../pdata/decode.ts';
import { ExporterHelper } from '../../exporterhelper/exporter-helper.ts';
import { permanentResult } from '../../exporterhelper/export-error.ts';
import { defaultRetryConfig } from '../../../config/blocks/retry.ts';
import type { DebugExporterConfig, Verbosity } from './config.ts';
import { basicFields } from './counts.ts';
import { formatDetailed } from './detailed.ts';
import { formatNormal } from './normal.ts';
import { Sampler } from './sampler.ts';
import { errorMessage } from '../../../errors/thrown.ts';

const TITLES: Record<Signal, string> = { traces: 'Traces', metrics: 'Metrics', logs: 'Logs' };

/** The text below the basic line, or undefined for basic. Throws WireError on malformed bytes. */
export function formatPayload(verbosity: Verbosity, signal: Signal, bytes: Buffer): string | undefined {
  if (verbosity === 'basic') return undefined;
  const request = decodeRequest(signal, bytes);
  return verbosity === 'detailed' ? formatDetailed(signal, request) : formatNormal(signal, request);
}

/** Builds the debug exporter for one (id, signal). Go sets no timeout and no retries for it. */
export function createDebugExporter(
  settings: CreateSettings,
  cfg: DebugExporterConfig,
  signal: Signal,
): ExporterHelper {
  const sampler = new Sampler(cfg.sampling_initial, cfg.sampling_thereafter);
  const logger = settings.logger;
  const title = TITLES[signal];
  const push = (payload: Payload): Promise<ConsumeResult> => {
    try {
      if (sampler.allow(title)) logger.info(title, basicFields(signal, payload.bytes));
      const text = formatPayload(cfg.verbosity, signal, payload.bytes);
      if (text !== undefined && sampler.allow(text)) logger.info(text);
      return Promise.resolve(SUCCESS);
    } catch (err) {
      return Promise.resolve(
        permanentResult(`the debug exporter could not read the data: ${errorMessage(err)}`, '_OTHER'),
      );
    }
  };
  return new ExporterHelper(settings, {
    signal,
    push,
    timeoutMs: 0,
    retry: { ...defaultRetryConfig(), enabled: false },
    queue: cfg.sending_queue,
  });
}
