// What is wrong with a server certificate, in plain words, and the real fix for each problem: an
// expired certificate is renewed on the server, an unknown CA is named in tls.ca_file, a name mismatch
// is dialled by its name (or server_name_override) — never "turn verification off".
import type { PeerCertificate } from 'node:tls';
import type { Failure } from './result.ts';
import type { Handshake } from './tls-handshake.ts';
import type { DoctorTarget } from './target.ts';

const DAY_MS = 86_400_000;
// node's chain verdicts that mean "signed by a CA not among those trusted".
const UNKNOWN_CA = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** The DNS names and IP addresses a certificate is for (its subjectAltName, else its CN). */
export function certificateNames(cert: PeerCertificate): string[] {
  const san = cert.subjectaltname ?? '';
  const names = san
    .split(/,\s*/)
    .filter((entry) => /^(DNS|IP Address):/.test(entry))
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''));
  if (names.length > 0) return names;
  const cn = cert.subject.CN;
  return cn === undefined ? ['(no name)'] : [String(cn)];
}

/** `CN=telegate test CA` — who signed the certificate. */
export function issuerOf(cert: PeerCertificate): string {
  const cn = cert.issuer.CN;
  const org = cert.issuer.O;
  if (cn !== undefined) return `CN=${String(cn)}`;
  return org === undefined ? '(unnamed issuer)' : `O=${String(org)}`;
}

/** The CAs the exporter trusts, in words. */
export function trustedBy(target: DoctorTarget): string {
  const file = target.tls.ca_file ?? '';
  if (file !== '')
    return `tls.ca_file (${file})${target.tls.include_system_ca_certs_pool ? " and the system's CAs" : ''}`;
  const pem = target.tls.ca_pem;
  if (pem !== undefined && String(pem) !== '') return 'tls.ca_pem';
  return "the system's CAs";
}

/** The first problem of the certificate, or undefined when it is good for `name`. */
export function certificateFailure(
  target: DoctorTarget,
  done: Handshake,
  name: string,
  nameMismatch: boolean,
): Failure | undefined {
  const cert = done.cert;
  const now = Date.now();
  const notAfter = Date.parse(cert.valid_to);
  const notBefore = Date.parse(cert.valid_from);
  if (now > notAfter || done.chainError === 'CERT_HAS_EXPIRED') return expired(target, cert, notAfter, now);
  if (now < notBefore || done.chainError === 'CERT_NOT_YET_VALID') return notYetValid(target, cert, notBefore);
  if (UNKNOWN_CA.has(done.chainError)) return unknownCa(target, cert, done.chainError);
  if (nameMismatch) return wrongName(target, cert, name);
  if (done.chainError !== '') return otherChainError(target, done.chainError);
  return undefined;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function expired(target: DoctorTarget, cert: PeerCertificate, notAfter: number, now: number): Failure {
  const leafExpired = now > notAfter;
  const days = Math.max(0, Math.floor((now - notAfter) / DAY_MS));
  return {
    finding: 'expired',
    detail: leafExpired
      ? `TLS: the certificate of ${target.authority} (for ${certificateNames(cert).join(', ')}) expired on ${isoDay(notAfter)}, ${days} day${days === 1 ? '' : 's'} ago`
      : `TLS: a certificate in the chain of ${target.authority} has expired`,
    cause: 'the server presents an expired certificate; nothing in this exporter is wrong',
    fix: 'renew the certificate where it is served (the gateway or the ingress; with cert-manager, `kubectl describe certificate` says why it was not renewed); do not turn verification off',
  };
}

function notYetValid(target: DoctorTarget, cert: PeerCertificate, notBefore: number): Failure {
  return {
    finding: 'not-yet-valid',
    detail: `TLS: the certificate of ${target.authority} is valid only from ${new Date(notBefore).toISOString()}`,
    cause: `the certificate was issued for a later time (for ${certificateNames(cert).join(', ')}), or this machine's clock is behind`,
    fix: 'check the clocks (NTP) of this machine and the server that issued it',
  };
}

function unknownCa(target: DoctorTarget, cert: PeerCertificate, chainError: string): Failure {
  const issuer = issuerOf(cert);
  const selfSigned = chainError === 'DEPTH_ZERO_SELF_SIGNED_CERT';
  return {
    finding: 'unknown-ca',
    detail: selfSigned
      ? `TLS: ${target.authority} presents a self-signed certificate (${issuer}), not among ${trustedBy(target)}`
      : `TLS: the certificate of ${target.authority} is signed by ${issuer}, which is not among ${trustedBy(target)} (${chainError})`,
    cause: selfSigned
      ? 'the server uses a self-signed certificate this exporter was not told to trust'
      : 'the server certificate comes from a private CA (or the server omits its intermediate certificate)',
    fix: selfSigned
      ? 'set tls.ca_file to that certificate, or serve one issued by a CA you trust'
      : `set tls.ca_file to the certificate of ${issuer} (with cert-manager: the ca.crt of the issuer's secret); if ${issuer} is an intermediate, serve the full chain on the server`,
  };
}

function wrongName(target: DoctorTarget, cert: PeerCertificate, name: string): Failure {
  const names = certificateNames(cert);
  const first = names[0] ?? name;
  return {
    finding: 'wrong-name',
    detail: `TLS: the certificate is for ${names.join(', ')}, you dialled ${name}`,
    cause: 'the endpoint names the server by another name (often an IP address or an internal service name)',
    fix: `dial a name the certificate holds (endpoint ${first}:${target.port}), or, when this address is right, set tls.server_name_override: ${first}`,
  };
}

function otherChainError(target: DoctorTarget, chainError: string): Failure {
  return {
    finding: 'untrusted',
    detail: `TLS: the certificate chain of ${target.authority} was not accepted (${chainError})`,
    cause: 'the certificate is not valid for a TLS server (usage, constraints or signature)',
    fix: 'serve a certificate issued for server authentication by a CA in tls.ca_file',
  };
}
