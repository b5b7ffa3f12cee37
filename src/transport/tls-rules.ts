// The one home of the TLS rules: Go's configtls Config.Validate and ServerConfig.Validate (with its
// messages), plus what Go only finds at start — unreadable files, a CA without a certificate, a pair
// that does not match, unknown cipher suites and curves. Config validation (config/blocks/tls-*.ts)
// and server start (http-server-tls.ts) both ask here.
import { isSet, loadTlsMaterialSync, type TlsFilesConfig, type TlsProblem, type TlsRole } from './tls-material.ts';
import { ecdhCurves, opensslCiphers, versionRank } from './tls-names.ts';

/** The keys of Go's configtls.Config as plain options ('' or absent = unset), as both blocks parse them. */
export interface TlsSettings extends TlsFilesConfig {
  readonly min_version?: string | undefined;
  readonly max_version?: string | undefined;
  readonly cipher_suites?: readonly string[] | undefined;
  readonly include_insecure_cipher_suites?: boolean | undefined;
  readonly curve_preferences?: readonly string[] | undefined;
  readonly reload_interval?: number | undefined;
}

const VERSIONS_HINT = 'use 1.0, 1.1, 1.2 or 1.3';

/** Go's Config.Validate rules (every problem, not only the first), as [key below `tls`, message]. */
export function tlsRuleProblems(cfg: TlsSettings): TlsProblem[] {
  const problems: TlsProblem[] = [];
  if (isSet(cfg.ca_file) && isSet(cfg.ca_pem))
    problems.push(['ca_file', 'provide either a CA file or the PEM-encoded string, but not both']);
  if (isSet(cfg.cert_file) && isSet(cfg.cert_pem))
    problems.push(['cert_file', 'provide either certificate file or PEM, but not both']);
  if (isSet(cfg.key_file) && isSet(cfg.key_pem))
    problems.push(['key_file', 'provide either key file or PEM, but not both']);
  const hasCert = isSet(cfg.cert_file) || isSet(cfg.cert_pem);
  const hasKey = isSet(cfg.key_file) || isSet(cfg.key_pem);
  if (hasCert !== hasKey)
    problems.push([
      hasCert ? 'key_file' : 'cert_file',
      'TLS configuration must include both certificate and key (cert_file/cert_pem and key_file/key_pem)',
    ]);
  problems.push(...versionProblems(cfg.min_version ?? '', cfg.max_version ?? ''));
  problems.push(...namesProblems(cfg));
  if ((cfg.reload_interval ?? 0) < 0) problems.push(['reload_interval', 'reload_interval must not be negative']);
  return problems;
}

/** The rules of a server that need no file: Go's ServerConfig.Validate, then Config.Validate. */
export function tlsServerRuleProblems(cfg: TlsSettings): TlsProblem[] {
  const problems = tlsRuleProblems(cfg);
  const hasCert = isSet(cfg.cert_file) || isSet(cfg.cert_pem);
  const hasKey = isSet(cfg.key_file) || isSet(cfg.key_pem);
  if (!hasCert && !hasKey)
    problems.push(['', 'TLS configuration must include both certificate and key for server connections']);
  return problems;
}

/** A server's rules, then (when they pass) its files read once: what `telegate validate` reports. */
export function tlsServerProblems(cfg: TlsSettings): TlsProblem[] {
  const problems = tlsServerRuleProblems(cfg);
  return problems.length > 0 ? problems : tlsFileProblems(cfg);
}

/** The client fields that decide whether TLS is used. */
export interface TlsClientSwitch extends Pick<TlsFilesConfig, 'ca_file' | 'ca_pem'> {
  readonly insecure: boolean;
}

/** Whether a client uses TLS (Go: `insecure` with a CA configured still means TLS). */
export function tlsClientEnabled(cfg: TlsClientSwitch): boolean {
  return !cfg.insecure || isSet(cfg.ca_file) || isSet(cfg.ca_pem);
}

/** A client's rules, then — when TLS is on and they pass — its files read once. */
export function tlsClientProblems(cfg: TlsSettings & TlsClientSwitch): TlsProblem[] {
  const problems = tlsRuleProblems(cfg);
  return problems.length > 0 || !tlsClientEnabled(cfg) ? problems : tlsFileProblems(cfg);
}

function versionProblems(min: string, max: string): TlsProblem[] {
  const problems: TlsProblem[] = [];
  const minRank = min === '' ? versionRank('1.2') : versionRank(min);
  const maxRank = max === '' ? Number.POSITIVE_INFINITY : versionRank(max);
  if (minRank < 0)
    problems.push(['min_version', `invalid TLS min_version: unsupported TLS version: "${min}"; ${VERSIONS_HINT}`]);
  if (maxRank < 0)
    problems.push(['max_version', `invalid TLS max_version: unsupported TLS version: "${max}"; ${VERSIONS_HINT}`]);
  if (minRank >= 0 && maxRank >= 0 && maxRank < minRank)
    problems.push(['max_version', 'invalid TLS configuration: min_version cannot be greater than max_version']);
  return problems;
}

function namesProblems(cfg: TlsSettings): TlsProblem[] {
  const problems: TlsProblem[] = [];
  const ciphers = opensslCiphers(cfg.cipher_suites ?? [], cfg.include_insecure_cipher_suites ?? false);
  if (!ciphers.ok) for (const e of ciphers.errors) problems.push(['cipher_suites', e]);
  const curves = ecdhCurves(cfg.curve_preferences ?? []);
  if (!curves.ok) for (const e of curves.errors) problems.push(['curve_preferences', e]);
  return problems;
}

/**
 * Reads the files of `roles` once and checks them (readable, a CA holds certificates, the certificate
 * matches its key). Users run `telegate validate` before deploying: this is where a wrong path shows.
 */
export function tlsFileProblems(cfg: TlsFilesConfig, roles?: readonly TlsRole[]): TlsProblem[] {
  const result = loadTlsMaterialSync(cfg, roles);
  return result.ok ? [] : result.problems;
}
