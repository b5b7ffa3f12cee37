// TLS of a server (https or http2.createSecureServer) from a server `tls:` block: the key pair,
// client-certificate verification (client_ca_file), versions, cipher suites and curves — loaded at
// start, then re-read on reload_interval and swapped in with server.setSecureContext() for new connections.
import type { Server as NetServer } from 'node:net';
import { errorMessage } from '../errors/thrown.ts';
import { rootCertificates, Server as TlsServer, type SecureVersion, type TlsOptions } from 'node:tls';
import type { Logger } from '../contracts/component.ts';
import { TelegateError } from '../errors/catalogue.ts';
import { loadTlsMaterial, loadTlsMaterialSync, type TlsMaterial, type TlsRole } from './tls-material.ts';
import { ecdhCurves, opensslCiphers, tlsVersion } from './tls-names.ts';
import { tlsServerRuleProblems, type TlsSettings } from './tls-rules.ts';

/** A server `tls:` block as plain options: Go's configtls.ServerConfig keys (the parsed config block is one). */
export interface TlsServerSettings extends TlsSettings {
  readonly client_ca_file_reload?: boolean | undefined;
  readonly include_system_ca_certs_pool?: boolean | undefined;
}

// Go checks a changed client CA file at most once a second (configtls clientcasfilereloader.go).
const CLIENT_CA_CHECK_MS = 1000;

/**
 * A server's TLS: `options` for creating the server; once `attach`ed, a changed certificate, key or
 * client CA on disk is served to new connections (connections already open keep theirs).
 */
export class ServerTls {
  private readonly cfg: TlsServerSettings;
  private readonly owner: string;
  private readonly logger: Logger | undefined;
  private material: TlsMaterial;
  private current: TlsOptions;
  private server: TlsServer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reloading = false;
  private lastProblem = '';

  /** Loads the files now; throws TG_START_FAILED naming `owner`, the key and the file on any problem. */
  constructor(cfg: TlsServerSettings, owner: string, logger?: Logger) {
    this.cfg = cfg;
    this.owner = owner;
    this.logger = logger;
    const rules = tlsServerRuleProblems(cfg);
    const loaded = rules.length > 0 ? { ok: false as const, problems: rules } : loadTlsMaterialSync(cfg);
    if (!loaded.ok) {
      const message = loaded.problems.map(([key, m]) =>
        key === '' || m.includes(`tls.${key}`) ? m : `tls.${key}: ${m}`,
      );
      throw new TelegateError('TG_START_FAILED', `${owner}: ${message.join('; ')}`);
    }
    this.material = loaded.material;
    this.current = serverTlsOptions(cfg, this.material);
  }

  /** Options for createSecureServer / https.createServer, as of the last (re)load. */
  get options(): TlsOptions {
    return this.current;
  }

  /** Starts reloading into `server` when reload_interval or client_ca_file_reload asks for it. */
  attach(server: TlsServer): void {
    this.server = server;
    const everyMs = this.reloadEveryMs();
    if (everyMs === 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.tick();
    }, everyMs);
    this.timer.unref();
  }

  /** Stops reloading. Idempotent. */
  detach(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.server = undefined;
  }

  private reloadEveryMs(): number {
    const interval = this.cfg.reload_interval ?? 0;
    if (interval > 0) return interval;
    return this.cfg.client_ca_file_reload === true && this.cfg.client_ca_file !== undefined ? CLIENT_CA_CHECK_MS : 0;
  }

  // reload_interval re-reads everything; client_ca_file_reload alone re-reads only the client CA.
  private roles(): TlsRole[] {
    return (this.cfg.reload_interval ?? 0) > 0 ? ['ca', 'cert', 'key', 'client_ca'] : ['client_ca'];
  }

  private tick(): void {
    if (this.reloading) return;
    this.reloading = true;
    this.reload()
      .catch((err: unknown) => {
        this.warn(errorMessage(err));
      })
      .finally(() => {
        this.reloading = false;
      });
  }

  private async reload(): Promise<void> {
    const loaded = await loadTlsMaterial(this.cfg, this.roles(), this.material);
    if (this.server === undefined) return;
    // A pair caught half-replaced (new certificate, old key) fails the match check: keep serving the
    // previous pair and try again on the next tick.
    if (!loaded.ok) {
      this.warn(loaded.problems.map(([, m]) => m).join('; '));
      return;
    }
    if (loaded.material.digest === this.material.digest) return;
    const options = serverTlsOptions(this.cfg, loaded.material);
    this.server.setSecureContext(options);
    this.material = loaded.material;
    this.current = options;
    this.lastProblem = '';
    this.logger?.info('Reloaded TLS certificates', { owner: this.owner });
  }

  // Logged once per distinct problem, not on every tick.
  private warn(problem: string): void {
    if (problem === this.lastProblem) return;
    this.lastProblem = problem;
    this.logger?.warn('TLS reload failed; still serving the previous certificates', {
      owner: this.owner,
      error: problem,
    });
  }
}

/** Loads a server `tls:` block (throws TG_START_FAILED naming `owner` on any problem). */
export function loadServerTls(tls: TlsServerSettings, owner: string, logger?: Logger): ServerTls {
  return new ServerTls(tls, owner, logger);
}

/** node:tls server options for `cfg` with `material` already read and checked. */
export function serverTlsOptions(cfg: TlsServerSettings, material: TlsMaterial): TlsOptions {
  const opts: TlsOptions = {
    minVersion: tlsVersion(cfg.min_version, 'TLSv1.2') ?? 'TLSv1.2',
  };
  if (material.cert !== undefined) opts.cert = material.cert;
  if (material.key !== undefined) opts.key = material.key;
  const maxVersion: SecureVersion | undefined = tlsVersion(cfg.max_version, 'TLSv1.3');
  if (maxVersion !== undefined) opts.maxVersion = maxVersion;
  // Go sets ClientCAs (and RequireAndVerifyClientCert) from client_ca_file only; ca_file feeds RootCAs,
  // which a Go server never consults, so it is not given to node either.
  if (material.client_ca !== undefined) {
    opts.ca =
      cfg.include_system_ca_certs_pool === true ? [...rootCertificates, material.client_ca] : material.client_ca;
    opts.requestCert = true;
    opts.rejectUnauthorized = true;
  }
  const ciphers = opensslCiphers(cfg.cipher_suites ?? [], cfg.include_insecure_cipher_suites ?? false);
  if (ciphers.ok && (cfg.cipher_suites ?? []).length > 0) opts.ciphers = ciphers.value;
  const curves = ecdhCurves(cfg.curve_preferences ?? []);
  if (curves.ok && curves.value !== '') opts.ecdhCurve = curves.value;
  return opts;
}

/** The server options of `tls`, whether a ServerTls or plain node:tls options. */
export function tlsOptionsOf<T extends TlsOptions>(tls: T | ServerTls | undefined): T | TlsOptions | undefined {
  return tls instanceof ServerTls ? tls.options : tls;
}

/** Lets a ServerTls reload into the TLS server just created with its options; no-op otherwise. */
export function attachServerTls(tls: TlsOptions | ServerTls | undefined, server: NetServer): void {
  if (tls instanceof ServerTls && server instanceof TlsServer) tls.attach(server);
}

/** Stops a ServerTls's reloading; no-op for plain options. */
export function detachServerTls(tls: TlsOptions | ServerTls | undefined): void {
  if (tls instanceof ServerTls) tls.detach();
}
