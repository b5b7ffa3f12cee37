// The seed's known pitfalls that a config alone shows, as `telegate validate` warnings: credentials
// sent in plaintext to another machine, and batches larger than a receiver or an ingress accepts.
// (An authenticator missing from service.extensions and an unused processor are reported by the
// config resolver itself: TG_CONFIG_AUTHENTICATOR, TG_CONFIG_UNUSED.)
import type { ConfigIssue } from '../config/issues.ts';
import type { ResolvedConfig } from '../config/load-config.ts';
import type { OtlpExporterConfig } from '../components/exporters/otlp/config.ts';
import type { OtlpHttpExporterConfig } from '../components/exporters/otlphttp/config.ts';
import { SIGNAL_ENDPOINT_KEY } from '../components/exporters/otlphttp/config.ts';
import { signalUrl } from '../components/exporters/otlphttp/signal-url.ts';
import type { Signal } from '../contracts/signal.ts';
import { isGzip } from '../config/blocks/grpc-client.ts';
import { parseGrpcEndpoint } from '../transport/endpoint.ts';
import { tlsClientEnabled } from '../transport/tls-rules.ts';
import { formatBytes } from '../util/format-bytes.ts';
import { isLoopbackHost } from '../util/loopback.ts';
import { GZIP_RATIO, SPAN_BYTES } from './batch-bytes.ts';

const MiB = 1024 * 1024;
/** What a collector's OTLP receiver accepts by default: gRPC max_recv_msg_size_mib 4, HTTP max_request_body_size 20 MiB. */
const RECEIVER_LIMIT = { grpc: 4 * MiB, http: 20 * MiB } as const;
/** ingress-nginx's default proxy-body-size (nginx's client_max_body_size default too). */
const INGRESS_LIMIT = MiB;

/** Where an exporter sends, as far as the pitfalls need it; undefined for other exporter types. */
interface Route {
  readonly protocol: 'grpc' | 'http';
  readonly host: string;
  readonly authority: string;
  readonly useTls: boolean;
  /** The key that says plaintext, relative to the exporter. */
  readonly plaintextKey: string;
  readonly gzip: boolean;
  readonly sendsCredentials: string | undefined;
}

/** Every pitfall warning of a resolved config. */
export function pitfallWarnings(config: ResolvedConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const pipeline of config.service.pipelines.values()) {
    for (const id of pipeline.exporters) {
      const route = routeOf(config, id, pipeline.signal);
      if (route === undefined) continue;
      if (!seen.has(id)) issues.push(...plaintextCredentials(id, route));
      seen.add(id);
      issues.push(...batchTooLarge(config, pipeline.processors, id, route));
    }
  }
  return dedupe(issues);
}

function routeOf(config: ResolvedConfig, id: string, signal: Signal): Route | undefined {
  const exporter = config.exporters.get(id);
  if (exporter?.factory.type === 'otlp') return grpcRoute(exporter.config as OtlpExporterConfig);
  if (exporter?.factory.type === 'otlphttp') return httpRoute(exporter.config as OtlpHttpExporterConfig, signal);
  return undefined;
}

function grpcRoute(cfg: OtlpExporterConfig): Route | undefined {
  const parsed = parseGrpcEndpoint(cfg.endpoint);
  if (!parsed.ok || parsed.target.transport !== 'tcp') return undefined;
  const t = parsed.target;
  return {
    protocol: 'grpc',
    host: t.host,
    authority: t.authority,
    useTls: t.tls === 'force' || (t.tls === 'from-config' && tlsClientEnabled(cfg.tls)),
    plaintextKey: t.tls === 'plaintext' ? 'endpoint' : 'tls.insecure',
    gzip: isGzip(cfg.compression),
    sendsCredentials: credentialsOf(cfg.auth?.authenticator, cfg.headers),
  };
}

function httpRoute(cfg: OtlpHttpExporterConfig, signal: Signal): Route | undefined {
  // Validation has checked the URLs; an exporter without one for this signal fails at start, not here.
  if (cfg.endpoint === '' && cfg[SIGNAL_ENDPOINT_KEY[signal]] === '') return undefined;
  const url = signalUrl(cfg.endpoint, cfg[SIGNAL_ENDPOINT_KEY[signal]], signal);
  return {
    protocol: 'http',
    host: url.hostname.replace(/^\[|\]$/g, ''),
    authority: url.host,
    useTls: url.protocol === 'https:',
    plaintextKey: 'endpoint',
    gzip: isGzip(cfg.compression),
    sendsCredentials: credentialsOf(cfg.auth?.authenticator, cfg.headers),
  };
}

// What sends credentials: the authenticator, or a configured authorization header.
function credentialsOf(
  authenticator: string | undefined,
  headers: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  if (authenticator !== undefined) return `the credentials of ${authenticator}`;
  const header = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === 'authorization');
  return header === undefined ? undefined : `its ${header} header`;
}

function plaintextCredentials(id: string, route: Route): ConfigIssue[] {
  if (route.useTls || route.sendsCredentials === undefined || isLoopbackHost(route.host)) return [];
  return [
    {
      severity: 'warning',
      path: `exporters.${id}.${route.plaintextKey}`,
      message: `exporters.${id} sends ${route.sendsCredentials} to ${route.authority} without TLS: anyone on the network path can read them`,
      hint: 'Enable TLS (remove tls.insecure, or use https://) and send to the TLS endpoint (the ingress, usually port 443).',
      code: 'TG_CONFIG_PLAINTEXT_CREDENTIALS',
    },
  ];
}

interface BatchLimits {
  readonly send_batch_size: number;
  readonly send_batch_max_size: number;
}

function batchTooLarge(
  config: ResolvedConfig,
  processors: readonly string[],
  exporterId: string,
  route: Route,
): ConfigIssue[] {
  const batchId = processors.find((p) => config.processors.get(p)?.factory.type === 'batch');
  if (batchId === undefined) return [];
  const batch = config.processors.get(batchId)?.config as BatchLimits;
  const bounded = batch.send_batch_max_size > 0;
  const items = bounded ? batch.send_batch_max_size : batch.send_batch_size;
  const raw = items * SPAN_BYTES;
  const wire = route.gzip ? Math.ceil(raw / GZIP_RATIO) : raw;
  const over: string[] = [];
  if (raw > RECEIVER_LIMIT[route.protocol])
    over.push(
      `the ${formatBytes(RECEIVER_LIMIT[route.protocol])} a collector's OTLP ${route.protocol === 'grpc' ? 'gRPC receiver accepts by default (max_recv_msg_size_mib)' : 'HTTP receiver accepts by default (max_request_body_size)'}`,
    );
  if (wire > INGRESS_LIMIT && !isLoopbackHost(route.host))
    over.push(`the ${formatBytes(INGRESS_LIMIT)} an ingress-nginx accepts by default (proxy-body-size)`);
  if (over.length === 0) return [];
  const size = route.gzip ? `≈ ${formatBytes(raw)} of spans, ≈ ${formatBytes(wire)} gzipped` : `≈ ${formatBytes(raw)}`;
  return [
    {
      severity: 'warning',
      path: `processors.${batchId}.${bounded ? 'send_batch_max_size' : 'send_batch_size'}`,
      message: `${bounded ? 'batches of up to' : 'batches of'} ${items} spans${bounded ? '' : ' or more (send_batch_max_size is 0: no upper bound)'} for exporters.${exporterId} (${size} at ~${SPAN_BYTES} B a span) can exceed ${over.join(' and ')}`,
      hint: `Set send_batch_max_size to at most ${Math.floor(Math.min(RECEIVER_LIMIT[route.protocol], route.gzip ? INGRESS_LIMIT * GZIP_RATIO : INGRESS_LIMIT) / SPAN_BYTES)} spans, or raise the limit on the way; \`telegate doctor --config\` sends a request of that size for real.`,
      code: 'TG_CONFIG_BATCH_TOO_LARGE',
    },
  ];
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
