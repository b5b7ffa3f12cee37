// One otlphttp exporter's sending: a POST of the payload (protobuf bytes as they are, or OTLP/JSON),
// compressed as configured, to the signal's URL over a keep-alive pool, and the answer turned into an
// outcome value. Retry-After holds back every request of the exporter (retry-after gate); a client
// authenticator's headers are added to each request and the gateway's verdict on them is logged once
// per change, as the otlp exporter does.
import type { Logger } from '../../../contracts/component.ts';
import type { ClientAuthenticator } from '../../../contracts/auth.ts';
import { SUCCESS, type ConsumeResult } from '../../../contracts/consumer.ts';
import type { Payload } from '../../../contracts/payload.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { errorMessage } from '../../../errors/thrown.ts';
import { tlsOptionsLoader } from '../../../transport/grpc-client-tls.ts';
import { HttpClient, type HttpAnswer, type HttpNoAnswer } from '../../../transport/http-client.ts';
import type { Secret } from '../../../util/secret.ts';
import { version } from '../../../util/version.ts';
import { AuthStateLog } from '../../authhelper/auth-state-log.ts';
import { CallMetadata, warnIfPlaintext, type AuthIdentity } from '../../authhelper/client-auth.ts';
import { permanentResult, retryableResult } from '../../exporterhelper/export-error.ts';
import { RetryAfterGate } from '../../exporterhelper/retry-after-gate.ts';
import type { Encoding, OtlpHttpExporterConfig } from './config.ts';
import { answerFailure, grpcCodeOfHttp, retryAfterMs, statusMessage } from './http-result.ts';
import { answerPartialSuccess } from './partial-success-answer.ts';
import { requestBody, type RequestBody } from './request-body.ts';

// Go sends "<build description>/<version> (<os>/<arch>)"; a configured user-agent header wins.
const USER_AGENT = `telegate/${version()} (${process.platform}/${process.arch})`;

/** Sends payloads of one signal to one URL. */
export class OtlpHttpSender {
  private readonly logger: Logger;
  private readonly cfg: OtlpHttpExporterConfig;
  private readonly signal: Signal;
  private readonly url: URL;
  private readonly encoding: Encoding;
  private readonly client: HttpClient;
  private readonly metadata: CallMetadata;
  private readonly gate = new RetryAfterGate();
  private readonly authLog: AuthStateLog;
  private auth: AuthIdentity | undefined;

  constructor(logger: Logger, cfg: OtlpHttpExporterConfig, signal: Signal, url: URL) {
    this.logger = logger;
    this.cfg = cfg;
    this.signal = signal;
    this.url = url;
    this.encoding = cfg.encoding as Encoding;
    this.client = new HttpClient({
      // https:// is TLS whatever tls.insecure says, http:// is plaintext (as the otlp exporter reads its schemes).
      ...(this.isTls ? { tls: tlsOptionsLoader(cfg.tls, url.hostname, logger) } : {}),
      keepAlive: !cfg.disable_keep_alives,
      maxSockets: cfg.max_conns_per_host > 0 ? cfg.max_conns_per_host : Infinity,
      // Go's http.Transport keeps 2 idle connections per host unless told otherwise.
      maxFreeSockets: cfg.max_idle_conns_per_host > 0 ? cfg.max_idle_conns_per_host : 2,
      idleTimeoutMs: cfg.idle_conn_timeout,
    });
    this.metadata = new CallMetadata(lowerCaseKeys(cfg.headers));
    this.authLog = new AuthStateLog(logger, url.host);
  }

  private get isTls(): boolean {
    return this.url.protocol === 'https:';
  }

  /** Adds `authenticator`'s headers to every request from now on. */
  useAuthenticator(id: string, authenticator: ClientAuthenticator): void {
    const target = { transport: 'tcp', host: this.url.hostname, authority: this.url.host } as const;
    warnIfPlaintext(this.logger, id, target, this.isTls);
    this.metadata.use(authenticator);
    this.auth = { authenticator: id, identity: authenticator.identity };
  }

  /** One attempt (the exporterhelper's push); `timeoutMs` 0 waits forever. */
  readonly push = async (payload: Payload, timeoutMs: number): Promise<ConsumeResult> => {
    const heldMs = this.gate.remainingMs();
    if (heldMs > 0)
      return retryableResult(
        `not sending to ${this.url.href} yet: it asked to retry later`,
        'ResourceExhausted',
        heldMs,
      );
    const body = await this.body(payload);
    if ('status' in body) return body;
    const sent = this.metadata.current();
    let answer = await this.client.post(this.url, body.bytes, this.headers(sent, body), timeoutMs);
    // A refused token that the authenticator can renew (oauth2client) is retried once with the new one.
    if (answer.ok && answer.status === 401 && (await this.metadata.renewAfterRefusal(sent)))
      answer = await this.client.post(this.url, body.bytes, this.headers(this.metadata.current(), body), timeoutMs);
    return this.outcome(answer);
  };

  private headers(auth: Readonly<Record<string, string>>, body: RequestBody): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...auth, 'content-type': body.contentType };
    if (body.contentEncoding !== undefined) headers['content-encoding'] = body.contentEncoding;
    return headers;
  }

  /** Closes the pooled connections. */
  close(): void {
    this.client.close();
  }

  private async body(payload: Payload): Promise<RequestBody | ConsumeResult> {
    try {
      return await requestBody(payload, this.encoding, this.cfg.compression, this.cfg.compression_params.level);
    } catch (err) {
      return permanentResult(`cannot encode the request as ${this.encoding}: ${errorMessage(err)}`, '_OTHER');
    }
  }

  private outcome(answer: HttpAnswer | HttpNoAnswer): ConsumeResult {
    if (!answer.ok) {
      const said = this.metadata.redact(answer.message);
      const errorType = answer.timedOut ? 'DeadlineExceeded' : 'Unavailable';
      return retryableResult(`failed to make an HTTP request to ${this.url.href}: ${said}`, errorType);
    }
    const ok = answer.status >= 200 && answer.status <= 299;
    const said = ok ? '' : this.metadata.redact(statusMessage(answer));
    this.authLog.observe(this.auth, grpcCodeOfHttp(answer.status), said, retryAfterMs(answer.status, answer.headers));
    if (ok) return this.success(answer);
    const failure = answerFailure(answer, this.url.href, said, this.auth);
    if (failure.status === 'retryable') this.gate.hold(failure.retryAfterMs);
    return failure;
  }

  // A partial success goes back to the exporterhelper, which logs (rate-limited) and counts it.
  private success(answer: HttpAnswer): ConsumeResult {
    const partial = answerPartialSuccess(answer, this.signal);
    if (partial.rejected === 0 && partial.message === '') return SUCCESS;
    return { status: 'success', rejectedItems: partial.rejected, message: this.metadata.redact(partial.message) };
  }
}

// Lower-cased, so that the authenticator's headers override the configured ones.
function lowerCaseKeys(headers: Readonly<Record<string, Secret>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v.reveal();
  return out;
}
