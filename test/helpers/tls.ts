// Throwaway certificates made with the openssl CLI for tests of TLS servers and clients: a
// self-signed pair for 127.0.0.1 / localhost, or a test CA and certificates it signs (mTLS, reload).
import { execFileSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  readonly dir: string;
  readonly keyFile: string;
  readonly certFile: string;
  readonly key: Buffer;
  readonly cert: Buffer;
}

/** A certificate issued by a test CA, with what a peer sees of it. */
export interface IssuedCert extends TestCert {
  /** Upper-case hex serial, as `getPeerCertificate().serialNumber` reports it. */
  readonly serial: string;
  /** `AA:BB:…` SHA-256 fingerprint, as `getPeerCertificate().fingerprint256` reports it. */
  readonly fingerprint256: string;
}

/** A test certificate authority: its certificate (the `ca_file` of peers) and key. */
export interface TestCa extends TestCert {
  /** Issues a certificate signed by this CA (see {@link issueCert}). */
  issue(name: string, options?: IssueOptions): IssuedCert;
}

export interface IssueOptions {
  /** Subject CN; default `localhost`. */
  readonly cn?: string;
  /** subjectAltName; default `DNS:localhost,IP:127.0.0.1`. */
  readonly san?: string;
  /** Directory for `<name>.pem` / `<name>-key.pem`; default the CA's directory. */
  readonly dir?: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: readonly string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** Writes a new EC P-256 key and a one-day self-signed certificate for `subject` with `extensions`. */
function selfSign(keyFile: string, certFile: string, subject: string, extensions: readonly string[]): void {
  const exts = extensions.flatMap((e) => ['-addext', e]);
  openssl(['req', '-x509', ...EC_KEY, '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', subject, ...exts]);
}

/** Writes an EC P-256 key and a one-day certificate for CN=localhost, SAN localhost and 127.0.0.1. */
export function selfSignedCert(dir = mkdtempSync(join(tmpdir(), 'tg-tls-'))): TestCert {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  selfSign(keyFile, certFile, '/CN=localhost', ['subjectAltName=DNS:localhost,IP:127.0.0.1']);
  return { dir, keyFile, certFile, key: readFileSync(keyFile), cert: readFileSync(certFile) };
}

/** Makes a one-day test CA (EC P-256) in `dir` (a new temp directory by default). */
export function makeCa(dir = mkdtempSync(join(tmpdir(), 'tg-ca-')), cn = 'telegate test CA'): TestCa {
  const keyFile = join(dir, 'ca-key.pem');
  const certFile = join(dir, 'ca.pem');
  selfSign(keyFile, certFile, `/CN=${cn}`, [
    'basicConstraints=critical,CA:TRUE',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const ca: TestCa = {
    dir,
    keyFile,
    certFile,
    key: readFileSync(keyFile),
    cert: readFileSync(certFile),
    issue: (name, options) => issueCert(ca, name, options),
  };
  return ca;
}

/**
 * Issues `<dir>/<name>.pem` and `<dir>/<name>-key.pem` signed by `ca`, good for both server and client
 * authentication, with a random serial. Files are written to temporary names and renamed into place,
 * so a server reloading them never reads half a file.
 */
export function issueCert(ca: TestCert, name: string, options: IssueOptions = {}): IssuedCert {
  const dir = options.dir ?? ca.dir;
  const tag = randomBytes(4).toString('hex');
  const tmpKey = join(dir, `.${name}-${tag}-key.pem`);
  const tmpCsr = join(dir, `.${name}-${tag}.csr`);
  const tmpCert = join(dir, `.${name}-${tag}.pem`);
  const ext = join(dir, `.${name}-${tag}.ext`);
  writeFileSync(
    ext,
    `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=${options.san ?? 'DNS:localhost,IP:127.0.0.1'}\n`,
  );
  openssl(['req', '-new', ...EC_KEY, '-keyout', tmpKey, '-out', tmpCsr, '-subj', `/CN=${options.cn ?? 'localhost'}`]);
  openssl([
    'x509',
    '-req',
    '-in',
    tmpCsr,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-set_serial',
    `0x${randomBytes(8).toString('hex').replace(/^0/, '1')}`,
    '-days',
    '1',
    '-extfile',
    ext,
    '-out',
    tmpCert,
  ]);
  const keyFile = join(dir, `${name}-key.pem`);
  const certFile = join(dir, `${name}.pem`);
  renameSync(tmpKey, keyFile);
  renameSync(tmpCert, certFile);
  rmSync(tmpCsr);
  rmSync(ext);
  const cert = readFileSync(certFile);
  const x509 = new X509Certificate(cert);
  return {
    dir,
    keyFile,
    certFile,
    key: readFileSync(keyFile),
    cert,
    serial: x509.serialNumber,
    fingerprint256: x509.fingerprint256,
  };
}
