// The demo's own certificate authority: a CA and a server certificate for the gateway (localhost,
// 127.0.0.1), made on first run and kept in the data directory, so that the edges verify the gateway
// as they would in production (`tls.ca_file`) and nothing is fetched from anywhere.
// Keys come from node:crypto (native and fast); node-forge builds and signs the X.509 certificates,
// which node:crypto cannot do.
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/** Where the demo's TLS files are. */
export interface DemoPki {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

const DAY_MS = 86_400_000;
const CA_DAYS = 3650;
const SERVER_DAYS = 825;
/** A certificate expiring sooner than this is made anew. */
const RENEW_BEFORE_MS = 7 * DAY_MS;

interface KeyPair {
  readonly privatePem: string;
  readonly publicPem: string;
}

function newKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privatePem: privateKey, publicPem: publicKey };
}

function baseCertificate(publicPem: string, commonName: string, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  // A positive serial: the top bit of the first byte clear.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * DAY_MS);
  cert.setSubject([
    { name: 'organizationName', value: 'telegate demo' },
    { name: 'commonName', value: commonName },
  ]);
  return cert;
}

function makeCa(): { certPem: string; key: KeyPair } {
  const key = newKeyPair();
  const cert = baseCertificate(key.publicPem, 'telegate demo CA', CA_DAYS);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(key.privatePem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), key };
}

function makeServerCert(caCertPem: string, caKeyPem: string): { certPem: string; key: KeyPair } {
  const key = newKeyPair();
  const caCert = forge.pki.certificateFromPem(caCertPem);
  const cert = baseCertificate(key.publicPem, 'localhost', SERVER_DAYS);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(caKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), key };
}

/** True when `file` holds a certificate valid for at least a week more (and, with `ca`, issued by it). */
function isUsable(file: string, caFile?: string): boolean {
  try {
    const cert = new X509Certificate(readFileSync(file));
    if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) return false;
    return caFile === undefined || cert.checkIssued(new X509Certificate(readFileSync(caFile)));
  } catch {
    return false;
  }
}

function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
}

/**
 * Makes sure `dir` holds the CA (`ca.pem`, `ca-key.pem`) and the gateway's certificate (`gateway.pem`,
 * `gateway-key.pem`); keeps what is there and still valid, makes the rest. Returns whether anything was made.
 */
export function ensureDemoPki(dir: string): DemoPki & { readonly created: boolean } {
  const caFile = join(dir, 'ca.pem');
  const caKeyFile = join(dir, 'ca-key.pem');
  const certFile = join(dir, 'gateway.pem');
  const keyFile = join(dir, 'gateway-key.pem');
  let created = false;
  if (!isUsable(caFile) || !existsSync(caKeyFile)) {
    const ca = makeCa();
    writeFileSync(caFile, ca.certPem);
    writePrivate(caKeyFile, ca.key.privatePem);
    created = true;
  }
  if (created || !isUsable(certFile, caFile) || !existsSync(keyFile)) {
    const server = makeServerCert(readFileSync(caFile, 'utf8'), readFileSync(caKeyFile, 'utf8'));
    writeFileSync(certFile, server.certPem);
    writePrivate(keyFile, server.key.privatePem);
    created = true;
  }
  return { caFile, certFile, keyFile, created };
}
