// Step 3: the TLS handshake, with the exporter's tls block: the certificate chain against the
// configured CA (or the system's), its names against the host dialled, its dates — each problem named
// with its real fix. Turning verification off is never the advice.
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { errorMessage } from '../errors/thrown.ts';
import { loadTlsOptions } from '../transport/grpc-client-tls.ts';
import { handshake, type Handshake, type NoHandshake } from './tls-handshake.ts';
import { certificateFailure, certificateNames, issuerOf, trustedBy } from './tls-certificate.ts';
import { fail, pass, skip, type StepResult } from './result.ts';
import type { DoctorTarget } from './target.ts';

/** The TLS step's result and, when the handshake completed, the ALPN protocol chosen (for the protocol step). */
export interface TlsOutcome {
  readonly result: StepResult;
  readonly alpn: string;
}

// OpenSSL reasons seen when the peer's first bytes are not a TLS record (a plaintext HTTP/2 or HTTP/1.1 server).
const NOT_TLS = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|RECORD_LAYER_FAILURE|wrong version number/i;

/** Runs the handshake against `address` and judges the certificate. */
export async function checkTls(target: DoctorTarget, address: string, timeoutMs: number): Promise<TlsOutcome> {
  if (!target.useTls) return { result: skip('tls', `not used: ${target.name} sends in plaintext`), alpn: '' };
  let options;
  try {
    options = await loadTlsOptions(target.tls, target.host);
  } catch (err) {
    const detail = errorMessage(err);
    return { result: fail('tls', tlsFilesFailure(target, detail)), alpn: '' };
  }
  // Both are offered so that an HTTP/1.1-only server shows itself (the exporter offers only h2).
  const alpn = target.protocol === 'grpc' ? ['h2', 'http/1.1'] : ['http/1.1'];
  const done = await handshake(options, address, target.port, alpn, timeoutMs);
  if (!done.ok) return { result: handshakeFailure(target, done), alpn: '' };
  return { result: judge(target, done), alpn: done.alpn };
}

function judge(target: DoctorTarget, done: Handshake): StepResult {
  const name = target.tls.server_name_override !== '' ? target.tls.server_name_override : target.host;
  const nameError = checkServerIdentity(name, done.cert);
  const problem = certificateFailure(target, done, name, nameError !== undefined);
  if (problem !== undefined && !target.tls.insecure_skip_verify) return fail('tls', problem);
  const detail = summary(target, done.cert);
  if (problem !== undefined)
    return pass('tls', `${detail}; NOT verified (tls.insecure_skip_verify: true): ${problem.detail}`);
  return pass('tls', `${detail}, trusted via ${trustedBy(target)}`);
}

function summary(target: DoctorTarget, cert: PeerCertificate): string {
  const days = Math.floor((Date.parse(cert.valid_to) - Date.now()) / 86_400_000);
  const left = days < 1 ? 'less than a day left' : `${days} day${days === 1 ? '' : 's'} left`;
  const names = certificateNames(cert).join(', ');
  return `${target.authority}: certificate for ${names}, issued by ${issuerOf(cert)}, valid until ${new Date(cert.valid_to).toISOString().slice(0, 10)} (${left})`;
}

function tlsFilesFailure(target: DoctorTarget, detail: string) {
  return {
    finding: 'tls-files',
    detail,
    cause: `the files of the tls block of ${target.name} cannot be used`,
    fix: 'fix the path or the contents of the file named above (`telegate validate` checks them too)',
  };
}

function handshakeFailure(target: DoctorTarget, done: NoHandshake): StepResult {
  const where = target.authority;
  if (NOT_TLS.test(done.code) || NOT_TLS.test(done.message)) {
    return fail('tls', {
      finding: 'plaintext-server',
      detail: `${where} did not answer the TLS handshake with TLS: it is a plaintext port`,
      cause:
        'the exporter dials TLS, but the server there speaks plaintext (a collector receiver without a tls block, not the ingress)',
      fix: `dial the TLS endpoint (the ingress, usually port 443); only for a plaintext hop inside a trusted network use ${target.plaintextSetting}`,
    });
  }
  if (/CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE/i.test(done.code)) {
    return fail('tls', {
      finding: 'client-certificate-required',
      detail: `${where} refused the handshake (${done.code})`,
      cause:
        'the server asks for a client certificate (mutual TLS), or accepts none of the offered TLS versions/ciphers',
      fix: 'set tls.cert_file and tls.key_file to a certificate the server trusts, and check tls.min_version / cipher_suites',
    });
  }
  return fail('tls', {
    finding: done.code === 'TIMEOUT' ? 'tls-timeout' : 'tls-handshake',
    detail: `TLS handshake with ${where} failed: ${done.message}${done.code !== '' && !done.message.includes(done.code) ? ` (${done.code})` : ''}`,
    cause:
      done.code === 'ECONNRESET'
        ? 'the server closed the connection during the handshake: it may not speak TLS on this port'
        : 'the server did not complete a TLS handshake',
    fix: `check that ${where} is a TLS endpoint (an ingress, usually port 443) and the TLS versions of the tls block`,
  });
}
