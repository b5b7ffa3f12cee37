// The otlphttp exporter's push: one POST of the payload (protobuf bytes as they are, or OTLP/JSON), gzip
// by default, to the signal's URL over a keep-alive pool; the answer becomes an outcome value for the
// exporterhelper chain (queue → retry → timeout) that this file assembles. Retry-After holds back every
// request of the exporter (retry-after gate); a client authenticator's headers are added to each request
// and the gateway's verdict on them is logged once per change, as the otlp exporter does.
import type { CreateSettings } from '../../../contracts/component.ts';
import { SUCCESS, type ConsumeResult } from '../../../contracts/consumer.ts';
import type { Payload } from '../../../contracts/payload.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { errorMessage } from '../../../errors/thrown.ts';
import { tlsOptionsLoader } from '../../../transport/grpc-client-tls.ts';
import { HttpClient } from '../../../transport/http-client.ts';
import { AuthStateLog } from '../../authhelper/auth-state-log.ts';
import { CallMetadata, warnIfPlaintext, type AuthIdentity } from '../../authhelper/client-auth.ts';
import { resolveAuthenticator } from '../../authhelper/resolve-authenticator.ts';
import { ExporterHelper } from '../../exporterhelper/exporter-helper.ts';
import { permanentResult, retryableResult } from '../../exporterhelper/export-error.ts';
import { RetryAfterGate } from '../../exporterhelper/retry-after-gate.ts';
import { SIGNAL_ENDPOINT_KEY, type Encoding, type OtlpHttpExporterConfig } from './config.ts';
import { answerFailure, grpcCodeOfHttp, retryAfterMs, statusMessage } from './http-result.ts';
import { answerPartialSuccess } from './partial-success-answer.ts';
import { requestBody } from './request-body.ts';
import { signalUrl } from './signal-url.ts';
import { version } from '../../../util/version.ts';

// Go sends "<build description>/<version> (<os>/<arch>)"; a configured user-agent header wins.
const USER_AGENT = `telegate/${version()} (${process.platform}/${process.arch})`;

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
  const url = urlOf(settings, cfg, signal);
  const href = url.href;
  const useTls = url.protocol === 'https:';
  const client = new HttpClient({
    // https:// is TLS whatever tls.insecure says, http:// is plaintext (as the otlp exporter reads its schemes).
    ...(useTls ? { tls: tlsOptionsLoader(cfg.tls, url.hostname, settings.logger) } : {}),
    keepAlive: !cfg.disable_keep_alives,
    maxSockets: cfg.max_conns_per_host > 0 ? cfg.max_conns_per_host : Infinity,
    // Go's http.Transport keeps 2 idle connections per host unless told otherwise.
    maxFreeSockets: cfg.max_idle_conns_per_host > 0 ? cfg.max_idle_conns_per_host : 2,
    idleTimeoutMs: cfg.idle_conn_timeout,
  });
  const metadata = new CallMetadata(baseHeaders(cfg));
  let auth: AuthIdentity | undefined;
  const gate = new RetryAfterGate();
  const authLog = new AuthStateLog(settings.logger, url.host);
  const encoding = cfg.encoding as Encoding;

  const push = async (payload: Payload, timeoutMs: number): Promise<ConsumeResult> => {
    const heldMs = gate.remainingMs();
    if (heldMs > 0)
      return retryableResult(`not sending to ${href} yet: it asked to retry later`, 'ResourceExhausted', heldMs);
    let body;
    try {
      body = await requestBody(payload, encoding, cfg.compression, cfg.compression_params.level);
    } catch (err) {
      return permanentResult(`cannot encode the request as ${encoding}: ${errorMessage(err)}`, '_OTHER');
    }
    const headers: Record<string, string> = {
      'user-agent': USER_AGENT,
      ...metadata.current(),
      'content-type': body.contentType,
    };
    if (body.contentEncoding !== undefined) headers['content-encoding'] = body.contentEncoding;
    const answer = await client.post(url, body.bytes, headers, timeoutMs);
    if (!answer.ok) {
      const errorType = answer.timedOut ? 'DeadlineExceeded' : 'Unavailable';
      return retryableResult(
        `failed to make an HTTP request to ${href}: ${metadata.redact(answer.message)}`,
        errorType,
      );
    }
    const ok = answer.status >= 200 && answer.status <= 299;
    const said = ok ? '' : metadata.redact(statusMessage(answer));
    authLog.observe(auth, grpcCodeOfHttp(answer.status), said, retryAfterMs(answer.status, answer.headers));
    if (!ok) {
      const failure = answerFailure(answer, href, said, auth);
      if (failure.status === 'retryable') gate.hold(failure.retryAfterMs);
      return failure;
    }
    const partial = answerPartialSuccess(answer, signal);
    if (partial.rejected === 0 && partial.message === '') return SUCCESS;
    // The exporterhelper logs (rate-limited) and counts it.
    return { status: 'success', rejectedItems: partial.rejected, message: metadata.redact(partial.message) };
  };

  return new ExporterHelper(settings, {
    signal,
    push,
    timeoutMs: cfg.timeout,
    retry: cfg.retry_on_failure,
    queue: cfg.sending_queue,
    start: (host) => {
      const id = cfg.auth?.authenticator;
      if (id === undefined) return Promise.resolve();
      const authenticator = resolveAuthenticator(host, id, `exporters.${settings.id.id}.auth.authenticator`, 'client');
      warnIfPlaintext(settings.logger, id, { transport: 'tcp', host: url.hostname, authority: url.host }, useTls);
      metadata.use(authenticator);
      auth = { authenticator: id, identity: authenticator.identity };
      return Promise.resolve();
    },
    shutdown: () => {
      client.close();
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

// The configured headers, lower-cased so that the authenticator's override them.
function baseHeaders(cfg: OtlpHttpExporterConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(cfg.headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}
