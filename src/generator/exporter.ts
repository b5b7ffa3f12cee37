// Where generated requests go: one Exporter per run over OTLP/gRPC (the project's raw node:http2
// client) or OTLP/HTTP (node:http/https, protobuf bodies). An export's outcome is a value: ok, or the
// server's (or the connection's) reason, with credentials redacted.
import { tlsClientSettings, type TlsClientSettings } from '../transport/grpc-client-tls.ts';
import type { GenOptions } from './options.ts';
import { redactSecrets } from '../util/redact.ts';

/** The outcome of one export. */
export interface SendOutcome {
  readonly ok: boolean;
  /** e.g. `UNAUTHENTICATED: …`; '' when ok. */
  readonly reason: string;
}

/** Sends one encoded Export*ServiceRequest. */
export interface Exporter {
  send(body: Buffer): Promise<SendOutcome>;
  close(): Promise<void>;
}

/** The request headers from --otlp-header and --otlp-basic-auth (which wins over an authorization header). */
export function requestHeaders(o: GenOptions): Record<string, string> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.basicAuth !== '') headers['authorization'] = `Basic ${Buffer.from(o.basicAuth).toString('base64')}`;
  return headers;
}

/** Replaces the credentials of `o` wherever they appear in `text` (a server may echo them). */
export function redact(o: GenOptions, text: string): string {
  const password = o.basicAuth === '' ? '' : o.basicAuth.slice(o.basicAuth.indexOf(':') + 1);
  const sent = requestHeaders(o)['authorization'] ?? '';
  return redactSecrets(text, [sent, o.headers['authorization'] ?? '', password]);
}

/** Whether the run uses TLS: telemetrygen's --otlp-insecure is off by default, so TLS is on unless it is set. */
export function usesTls(o: GenOptions, endpoint: string): boolean {
  if (endpoint.startsWith('https://')) return true;
  if (endpoint.startsWith('http://')) return false;
  return !o.insecure;
}

/** The client `tls` block the flags describe (--ca-cert, --mtls, --client-cert/-key, --otlp-insecure-skip-verify). */
export function tlsConfigOf(o: GenOptions): TlsClientSettings {
  const pair = o.mtls || o.clientCert !== '' ? { cert_file: o.clientCert, key_file: o.clientKey } : {};
  return tlsClientSettings({ ca_file: o.caCert, insecure_skip_verify: o.insecureSkipVerify, ...pair });
}
