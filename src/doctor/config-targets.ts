// The targets of `telegate doctor --config`: every otlp and otlphttp exporter a pipeline uses, with
// the endpoint, tls block, headers and authenticator as the exporter itself reads them.
import type { OAuth2ClientConfig } from '../components/extensions/oauth2client/config.ts';
import type { Logger } from '../contracts/component.ts';
import type { Signal } from '../contracts/signal.ts';
import type { ResolvedConfig } from '../config/load-config.ts';
import type { OtlpExporterConfig } from '../components/exporters/otlp/config.ts';
import type { OtlpHttpExporterConfig } from '../components/exporters/otlphttp/config.ts';
import { SIGNAL_ENDPOINT_KEY } from '../components/exporters/otlphttp/config.ts';
import { signalUrl } from '../components/exporters/otlphttp/signal-url.ts';
import { isGzip } from '../config/blocks/grpc-client.ts';
import { parseGrpcEndpoint } from '../transport/endpoint.ts';
import { tlsClientEnabled } from '../transport/tls-rules.ts';
import { formatHostPort } from '../util/host-port.ts';
import type { Secret } from '../util/secret.ts';
import { estimateBatchBytes } from './batch-bytes.ts';
import { clientCredentials } from './client-credentials.ts';
import type { DoctorTarget } from './target.ts';

/** A used exporter doctor does not check, and why. */
export interface SkippedExporter {
  readonly name: string;
  readonly reason: string;
}

/** The targets to check and the exporters left out. */
export interface ConfigTargets {
  readonly targets: DoctorTarget[];
  readonly skipped: SkippedExporter[];
}

/** Builds a target for each used otlp / otlphttp exporter; throws when an authenticator cannot start. */
export async function targetsFromConfig(config: ResolvedConfig, logger: Logger): Promise<ConfigTargets> {
  const out: ConfigTargets = { targets: [], skipped: [] };
  for (const [id, signal] of usedExporters(config)) {
    const exporter = config.exporters.get(id);
    if (exporter === undefined) continue;
    const type = exporter.factory.type;
    if (type === 'otlp') {
      const target = await grpcTarget(config, id, exporter.config as OtlpExporterConfig, signal, logger);
      if (typeof target === 'string') out.skipped.push({ name: id, reason: target });
      else out.targets.push(target);
    } else if (type === 'otlphttp') {
      out.targets.push(await httpTarget(config, id, exporter.config as OtlpHttpExporterConfig, signal, logger));
    } else out.skipped.push({ name: id, reason: `a ${type} exporter sends nowhere over the network` });
  }
  return out;
}

// Each exporter used by a pipeline, with the signal of the first pipeline using it.
function usedExporters(config: ResolvedConfig): Map<string, Signal> {
  const used = new Map<string, Signal>();
  for (const p of config.service.pipelines.values())
    for (const e of p.exporters) if (!used.has(e)) used.set(e, p.signal);
  return used;
}

async function grpcTarget(
  config: ResolvedConfig,
  id: string,
  cfg: OtlpExporterConfig,
  signal: Signal,
  logger: Logger,
): Promise<DoctorTarget | string> {
  const parsed = parseGrpcEndpoint(cfg.endpoint);
  if (!parsed.ok) return `endpoint: ${parsed.message}`;
  const t = parsed.target;
  if (t.transport === 'unix') return `${cfg.endpoint} is a unix socket on this machine`;
  const useTls = t.tls === 'force' || (t.tls === 'from-config' && tlsClientEnabled(cfg.tls));
  return {
    name: id,
    signal,
    protocol: 'grpc',
    host: t.host,
    port: t.port,
    authority: t.authority,
    useTls,
    tls: cfg.tls,
    plaintextSetting: `exporters.${id}.tls.insecure: true`,
    ...(await credentials(config, id, cfg.headers, cfg.auth?.authenticator, logger)),
    ...probe(config, id, isGzip(cfg.compression)),
  };
}

async function httpTarget(
  config: ResolvedConfig,
  id: string,
  cfg: OtlpHttpExporterConfig,
  signal: Signal,
  logger: Logger,
): Promise<DoctorTarget> {
  const url = signalUrl(cfg.endpoint, cfg[SIGNAL_ENDPOINT_KEY[signal]], signal);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return {
    name: id,
    signal,
    protocol: 'http',
    host,
    port,
    authority: formatHostPort(host, port),
    url,
    useTls: url.protocol === 'https:',
    tls: cfg.tls,
    plaintextSetting: `an http:// endpoint`,
    ...(await credentials(config, id, cfg.headers, cfg.auth?.authenticator, logger)),
    ...probe(config, id, isGzip(cfg.compression)),
  };
}

async function credentials(
  config: ResolvedConfig,
  id: string,
  configured: Readonly<Record<string, Secret>> | undefined,
  authenticator: string | undefined,
  logger: Logger,
): Promise<Pick<DoctorTarget, 'headers' | 'auth' | 'oauth2'>> {
  const headers: Record<string, string> = {};
  // Revealed to be sent, as the exporter sends them; never printed.
  for (const [k, v] of Object.entries(configured ?? {})) headers[k.toLowerCase()] = v.reveal();
  if (authenticator === undefined) return { headers };
  const creds = await clientCredentials(config, authenticator, logger.child({ exporter: id }));
  for (const [k, v] of Object.entries(creds.headers)) headers[k.toLowerCase()] = v;
  const auth = { authenticator: creds.authenticator, identity: creds.identity };
  const extension = config.extensions.get(authenticator);
  if (extension?.factory.type !== 'oauth2client') return { headers, auth };
  return { headers, auth, oauth2: { authenticator, config: extension.config as OAuth2ClientConfig } };
}

function probe(config: ResolvedConfig, id: string, gzip: boolean): Pick<DoctorTarget, 'probeBytes' | 'probeReason'> {
  const estimate = estimateBatchBytes(config, id, gzip);
  return { probeBytes: estimate.bytes, probeReason: estimate.reason };
}
