// Go's configtls names (versions "1.0"–"1.3", IANA cipher suite names, curve names) translated to what
// node:tls takes, with Go's messages for a name it does not know. Used by validation and by loading.
import type { SecureVersion } from 'node:tls';

/** TLS versions as configtls spells them, in order, with node:tls's names. */
export const TLS_VERSIONS: Readonly<Record<string, SecureVersion>> = {
  '1.0': 'TLSv1',
  '1.1': 'TLSv1.1',
  '1.2': 'TLSv1.2',
  '1.3': 'TLSv1.3',
};

const VERSION_ORDER = Object.keys(TLS_VERSIONS);

/** The node:tls version for a configtls one ('' gives `fallback`); undefined when unknown. */
export function tlsVersion(v: string | undefined, fallback: SecureVersion): SecureVersion | undefined {
  if (v === undefined || v === '') return fallback;
  return TLS_VERSIONS[v];
}

/** Rank of a configtls version for min/max comparison; -1 when unknown. */
export function versionRank(v: string): number {
  return VERSION_ORDER.indexOf(v);
}

// TLS 1.3 suites: Go accepts their names but cannot configure them (all stay on); OpenSSL would turn
// TLS 1.3 off unless they stay listed, so they are always included.
const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

// Go's tls.CipherSuites() (TLS 1.2 part) → OpenSSL names.
const SECURE_SUITES: Readonly<Record<string, string>> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
};

// Go's tls.InsecureCipherSuites() → OpenSSL names; '' where Node's OpenSSL 3 has no such suite.
const INSECURE_SUITES: Readonly<Record<string, string>> = {
  TLS_RSA_WITH_RC4_128_SHA: '',
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: '',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA256: 'AES128-SHA256',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_RC4_128_SHA: '',
  TLS_ECDHE_RSA_WITH_RC4_128_SHA: '',
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: '',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'ECDHE-ECDSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
};

/** A translation: the node:tls value, or the problems (one message per bad name). */
export type Translated =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly errors: string[] };

/** `cipher_suites` as a node:tls `ciphers` string; Go's "invalid TLS cipher suite" for unknown names. */
export function opensslCiphers(names: readonly string[], includeInsecure: boolean): Translated {
  const errors: string[] = [];
  const mapped: string[] = [];
  for (const name of names) {
    if (TLS13_SUITES.includes(name)) continue;
    const secure = SECURE_SUITES[name];
    const insecure = INSECURE_SUITES[name];
    if (secure !== undefined) mapped.push(secure);
    else if (insecure === undefined) errors.push(`invalid TLS cipher suite: "${name}"`);
    else if (!includeInsecure)
      errors.push(
        `invalid TLS cipher suite: "${name}" (insecure: set include_insecure_cipher_suites: true to allow it)`,
      );
    else if (insecure === '') errors.push(`TLS cipher suite "${name}" is not available in Node.js's OpenSSL`);
    else mapped.push(insecure);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: [...TLS13_SUITES, ...mapped].join(':') };
}

// configtls curve names → OpenSSL group names; '' where Node 20's OpenSSL 3.0 lacks the group.
const CURVES: Readonly<Record<string, string>> = {
  P256: 'P-256',
  P384: 'P-384',
  P521: 'P-521',
  X25519: 'X25519',
  X25519MLKEM768: '',
};

/** `curve_preferences` as a node:tls `ecdhCurve` string. */
export function ecdhCurves(names: readonly string[]): Translated {
  const errors: string[] = [];
  const mapped: string[] = [];
  for (const name of names) {
    const curve = CURVES[name];
    if (curve === undefined)
      errors.push(
        `invalid curve type: "${name}". Expected values are ${Object.keys(CURVES)
          .filter((k) => CURVES[k] !== '')
          .join(', ')}`,
      );
    else if (curve === '') errors.push(`curve type "${name}" is not available in Node.js's OpenSSL`);
    else mapped.push(curve);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: mapped.join(':') };
}
