// What to do about a server certificate a client refused, by node's verification code. Each cause
// has its own fix: an expired certificate is renewed on the server, a name mismatch is dialled by its
// name, an unknown CA is put in tls.ca_file. Turning verification off is never the advice — it hides
// every one of these and the attack they guard against.

/** node's codes for a server certificate that was refused. */
export const CERT_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const DOCTOR = '`telegate doctor --config FILE` shows the certificate';

/** The cause and fix for a refused certificate; `err` is node's error (on a name mismatch it holds the certificate). */
export function certificateHint(code: string, err: unknown): string {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return 'the server certificate has expired: renew it where it is served (the gateway or its ingress); no client setting fixes this';
    case 'CERT_NOT_YET_VALID':
      return 'the server certificate is not valid yet: check the clocks of this machine and of the certificate issuer';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the certificate is for other names (${altNames(err)}): put one of them in the endpoint, or set tls.server_name_override when the address is right`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return `the server certificate is self-signed: set tls.ca_file to that certificate (${DOCTOR})`;
    default:
      return `it is signed by a CA this exporter does not trust: set tls.ca_file to the CA that signed it (${DOCTOR})`;
  }
}

// node's name-check error carries the certificate; its subjectAltName lists the names it is for.
function altNames(err: unknown): string {
  const san = (err as { cert?: { subjectaltname?: unknown } } | null)?.cert?.subjectaltname;
  if (typeof san !== 'string' || san === '') return 'see the certificate';
  return san.replace(/(DNS|IP Address):/g, '');
}
