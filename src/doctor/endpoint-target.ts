// The target of `telegate doctor --endpoint HOST:PORT`: a gateway checked without a config, with the
// credentials and CA given as flags (the password read from a file, so it is in no shell history).
import { readFile } from 'node:fs/promises';
import { signalUrl } from '../components/exporters/otlphttp/signal-url.ts';
import { parseGrpcEndpoint } from '../transport/endpoint.ts';
import { tlsClientSettings } from '../transport/grpc-client-tls.ts';
import { formatHostPort } from '../util/host-port.ts';
import { formatBytes } from '../util/format-bytes.ts';
import type { DoctorTarget } from './target.ts';

/** The flags of the `--endpoint` form. */
export interface EndpointFlags {
  readonly endpoint: string;
  readonly protocol: 'grpc' | 'http';
  readonly user?: string;
  readonly passwordFile?: string;
  readonly caFile?: string;
  readonly serverName?: string;
  readonly insecure: boolean;
  readonly bodyBytes: number;
}

/** Ingress-nginx's default proxy-body-size: the limit most deployments meet first. */
export const DEFAULT_BODY_BYTES = 1024 * 1024;

/** Builds the target; throws an Error with a user-facing message for a bad endpoint or unreadable file. */
export async function targetFromEndpoint(flags: EndpointFlags): Promise<DoctorTarget> {
  const base = {
    name: flags.endpoint,
    signal: 'traces' as const,
    tls: tlsClientSettings({
      insecure: flags.insecure,
      ...(flags.caFile === undefined ? {} : { ca_file: flags.caFile }),
      ...(flags.serverName === undefined ? {} : { server_name_override: flags.serverName }),
    }),
    plaintextSetting: '--insecure',
    ...(await basicCredentials(flags)),
    probeBytes: flags.bodyBytes,
    probeReason: `--body-size ${formatBytes(flags.bodyBytes)}`,
  };
  if (flags.protocol === 'http') {
    const url = signalUrl(withScheme(flags), '', 'traces');
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const authority = formatHostPort(host, port);
    return { ...base, protocol: 'http', host, port, authority, url, useTls: url.protocol === 'https:' };
  }
  const parsed = parseGrpcEndpoint(flags.endpoint);
  if (!parsed.ok) throw new Error(`--endpoint: ${parsed.message}`);
  const t = parsed.target;
  if (t.transport === 'unix') throw new Error('--endpoint: a unix socket cannot be checked over the network');
  const useTls = t.tls === 'force' || (t.tls === 'from-config' && !flags.insecure);
  return { ...base, protocol: 'grpc', host: t.host, port: t.port, authority: t.authority, useTls };
}

// host:port with --protocol http: https unless --insecure.
function withScheme(flags: EndpointFlags): string {
  if (/^https?:\/\//.test(flags.endpoint)) return flags.endpoint;
  return `${flags.insecure ? 'http' : 'https'}://${flags.endpoint}`;
}

async function basicCredentials(flags: EndpointFlags): Promise<Pick<DoctorTarget, 'headers' | 'auth'>> {
  if (flags.user === undefined) return { headers: {} };
  if (flags.passwordFile === undefined)
    throw new Error('--user needs --password-file FILE (the password on its first line)');
  let text: string;
  try {
    text = await readFile(flags.passwordFile, 'utf8');
  } catch (err) {
    throw new Error(
      `--password-file: cannot read ${flags.passwordFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: err },
    );
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  const encoded = Buffer.from(`${flags.user}:${password}`, 'utf8').toString('base64');
  return { headers: { authorization: `Basic ${encoded}` }, auth: { authenticator: '--user', identity: flags.user } };
}
