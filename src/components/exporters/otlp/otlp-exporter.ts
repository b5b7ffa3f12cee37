// The otlp exporter's push: the payload's bytes as they are (DESIGN.md §2) in one unary Export call over
// the raw HTTP/2 client (a batch's parts written one after another, uncopied, unless gzip needs them
// whole); partial success goes back to the exporterhelper, which logs and counts it; failures become
// outcome values for the exporterhelper chain (queue → retry → timeout) that this file assembles. A
// client authenticator's headers are added to every call (authhelper/client-auth.ts).
import type { CreateSettings } from '../../../contracts/component.ts';
import { SUCCESS, type ConsumeResult } from '../../../contracts/consumer.ts';
import type { Payload } from '../../../contracts/payload.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { isGzip } from '../../../config/blocks/grpc-client.ts';
import { tlsClientEnabled } from '../../../transport/tls-rules.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import type { Secret } from '../../../util/secret.ts';
import { GrpcStatus } from '../../../errors/grpc-status.ts';
import { payloadChunks } from '../../../pdata/payload-bytes.ts';
import { DEFAULT_GZIP_LEVEL } from '../../../transport/compression.ts';
import { DEFAULT_ZSTD_LEVEL } from '../../../transport/zstd.ts';
import { parseGrpcEndpoint, type GrpcTarget } from '../../../transport/endpoint.ts';
import { GrpcClient, type GrpcClientOptions } from '../../../transport/grpc-client.ts';
import { tlsOptionsLoader } from '../../../transport/grpc-client-tls.ts';
import { ExporterHelper } from '../../exporterhelper/exporter-helper.ts';
import { retryableResult } from '../../exporterhelper/export-error.ts';
import { AuthStateLog } from '../../authhelper/auth-state-log.ts';
import { CallMetadata, warnIfPlaintext, type AuthIdentity } from '../../authhelper/client-auth.ts';
import { resolveAuthenticator } from '../../authhelper/resolve-authenticator.ts';
import type { OtlpExporterConfig } from './config.ts';
import { callFailure } from './grpc-result.ts';
import { readPartialSuccess } from '../../exporterhelper/partial-success.ts';
import { RetryAfterGate } from '../../exporterhelper/retry-after-gate.ts';

/** The Export method of each signal's OTLP service. */
export const OTLP_GRPC_PATHS: Record<Signal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

/** Knobs tests (and the service) may set beyond the config. */
export interface OtlpExporterInternals {
  readonly reconnect?: GrpcClientOptions['reconnect'];
  readonly shutdownTimeoutMs?: number;
  readonly busyRetryAfterMs?: number;
}

/** Builds the exporter instance for one (id, signal). The config must have passed validation. */
export function createOtlpExporter(
  settings: CreateSettings,
  cfg: OtlpExporterConfig,
  signal: Signal,
  internals: OtlpExporterInternals = {},
): ExporterHelper {
  const parsed = parseGrpcEndpoint(cfg.endpoint);
  if (!parsed.ok) throw new TelegateError('TG_START_FAILED', `exporter ${settings.id.id}: endpoint: ${parsed.message}`);
  const useTls = tlsOf(cfg, parsed.target);
  const client = new GrpcClient(clientOptions(cfg, parsed.target, useTls, internals));
  const metadata = new CallMetadata(lowerCaseKeys(cfg.headers));
  let auth: AuthIdentity | undefined;
  const encoding = isGzip(cfg.compression)
    ? 'gzip'
    : cfg.compression === 'zstd' || cfg.compression === 'snappy'
      ? cfg.compression
      : undefined;
  const compress = encoding !== undefined;
  // 0 is "unset" as in Go; -1 is zlib's default (6, Go's unset meaning); telegate's own default is level 1.
  const gzipLevel = cfg.compression_params.level === 0 ? DEFAULT_GZIP_LEVEL : cfg.compression_params.level;
  const zstdLevel = cfg.compression_params.level === 0 ? DEFAULT_ZSTD_LEVEL : cfg.compression_params.level;
  const path = OTLP_GRPC_PATHS[signal];
  const endpoint = parsed.target.authority;
  const gate = new RetryAfterGate();
  const authLog = new AuthStateLog(settings.logger, endpoint);

  const push = async (payload: Payload, timeoutMs: number): Promise<ConsumeResult> => {
    const heldMs = gate.remainingMs();
    if (heldMs > 0)
      return retryableResult(`not sending to ${endpoint} yet: it asked to retry later`, 'ResourceExhausted', heldMs);
    // gzip deflates the parts as they are, or lays in the deflate pieces the request(s) arrived as, in one
    // member (transport/gzip-member.ts); zstd and snappy compress the contiguous bytes (concatenated once
    // per payload, cached across retries).
    const deflatePieces = encoding === 'gzip' ? payload.deflatePieces : undefined;
    const message = compress && encoding !== 'gzip' ? payload.bytes : payloadChunks(payload);
    const sent = metadata.current();
    const options = { timeoutMs, encoding, gzipLevel, zstdLevel, deflatePieces } as const;
    let result = await client.call(path, message, { ...options, metadata: sent });
    // A refused token that the authenticator can renew (oauth2client) is retried once with the new one.
    if (result.code === GrpcStatus.UNAUTHENTICATED && (await metadata.renewAfterRefusal(sent)))
      result = await client.call(path, message, { ...options, metadata: metadata.current() });
    // A server may echo what it was sent (Go's old bearertokenauth did): our header values are cut out.
    const said = result.code === GrpcStatus.OK ? '' : metadata.redact(result.message);
    authLog.observe(auth, result.code, said, result.retryAfterMs);
    if (result.code !== GrpcStatus.OK) {
      const failure = callFailure({ ...result, message: said }, endpoint, auth);
      if (failure.status === 'retryable') gate.hold(failure.retryAfterMs);
      return failure;
    }
    const partial = readPartialSuccess(signal, result.response);
    if (partial.rejected === 0 && partial.message === '') return SUCCESS;
    // The exporterhelper logs (rate-limited) and counts it.
    return { status: 'success', rejectedItems: partial.rejected, message: partial.message };
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
      warnIfPlaintext(settings.logger, id, parsed.target, useTls);
      metadata.use(authenticator);
      auth = { authenticator: id, identity: authenticator.identity };
      return Promise.resolve();
    },
    shutdown: (remainingMs) => client.close(remainingMs),
    ...(internals.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: internals.shutdownTimeoutMs }),
    ...(internals.busyRetryAfterMs === undefined ? {} : { busyRetryAfterMs: internals.busyRetryAfterMs }),
  });
}

// https:// forces TLS over `insecure` (Go's README); http:// means plaintext; otherwise the tls block decides.
function tlsOf(cfg: OtlpExporterConfig, target: GrpcTarget): boolean {
  return target.tls === 'force' || (target.tls === 'from-config' && tlsClientEnabled(cfg.tls));
}

function clientOptions(
  cfg: OtlpExporterConfig,
  target: GrpcTarget,
  useTls: boolean,
  internals: OtlpExporterInternals,
): GrpcClientOptions {
  const serverHost = target.transport === 'tcp' ? target.host : 'localhost';
  const ka = cfg.keepalive;
  return {
    target,
    ...(useTls ? { tls: tlsOptionsLoader(cfg.tls, serverHost) } : {}),
    ...(cfg.user_agent === '' ? {} : { userAgent: cfg.user_agent }),
    ...(cfg.authority === '' ? {} : { authority: cfg.authority }),
    ...(ka === undefined
      ? {}
      : { keepalive: { timeMs: ka.time, timeoutMs: ka.timeout, permitWithoutStream: ka.permit_without_stream } }),
    ...(internals.reconnect === undefined ? {} : { reconnect: internals.reconnect }),
    waitForReady: cfg.wait_for_ready,
  };
}

function lowerCaseKeys(headers: Readonly<Record<string, Secret>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  // Revealed here: they are sent with every call (and CallMetadata cuts them out of server messages).
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v.reveal();
  return out;
}
