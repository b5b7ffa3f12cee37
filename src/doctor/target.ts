// What doctor checks for one exporter: where it dials, with which TLS settings and credentials, and how
// large its largest request may be — built from a config (config-targets.ts) or from `--endpoint`
// flags (endpoint-target.ts) with the same settings the exporter itself would use.
import type { OAuth2ClientConfig } from '../components/extensions/oauth2client/config.ts';
import type { Signal } from '../contracts/signal.ts';
import type { TlsClientSettings } from '../transport/grpc-client-tls.ts';

/** One endpoint to check. Header values are secrets: they are sent, never printed. */
export interface DoctorTarget {
  /** The exporter id, or the endpoint with `--endpoint`. */
  readonly name: string;
  /** The signal of the first pipeline using the exporter: the empty export is one of its requests. */
  readonly signal: Signal;
  /** `grpc` for the otlp exporter, `http` for otlphttp. */
  readonly protocol: 'grpc' | 'http';
  readonly host: string;
  readonly port: number;
  /** `host:port` (IPv6 in brackets), as dialled. */
  readonly authority: string;
  /** otlphttp: the URL the traces are posted to. */
  readonly url?: URL;
  readonly useTls: boolean;
  /** The exporter's `tls` block; used only when useTls. */
  readonly tls: TlsClientSettings;
  /** The setting that makes this exporter send in plaintext, for hints (`exporters.otlp.tls.insecure: true`, `--insecure`). */
  readonly plaintextSetting: string;
  /** Configured headers, then the authenticator's; values are secrets. */
  readonly headers: Readonly<Record<string, string>>;
  /** The authenticator and the user it claims, for messages; absent without one. */
  readonly auth?: { readonly authenticator: string; readonly identity: string };
  /** When the authenticator is an oauth2client: its id and config, for the token step. */
  readonly oauth2?: { readonly authenticator: string; readonly config: OAuth2ClientConfig };
  /** Size of the body-size probe in bytes (the largest batch this exporter may send), and why that size. */
  readonly probeBytes: number;
  readonly probeReason: string;
}
