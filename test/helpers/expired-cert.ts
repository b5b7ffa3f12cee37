// A server certificate that has expired, signed by a CA of its own (both valid otherwise, for
// localhost and 127.0.0.1): the openssl CLI of this machine (3.0) cannot back-date a certificate, so
// node-forge builds them (RSA keys: forge signs with RSA only).
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

const DAY_MS = 86_400_000;

/** The CA's certificate (the client's `ca_file`) and the expired server pair it signed. */
export interface ExpiredPair {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** When the server certificate expired. */
  readonly notAfter: Date;
}

function rsaKeys(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privatePem: privateKey, publicPem: publicKey };
}

function certificate(publicPem: string, cn: string, serial: string, from: Date, to: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  cert.serialNumber = serial;
  cert.validity.notBefore = from;
  cert.validity.notAfter = to;
  cert.setSubject([{ name: 'commonName', value: cn }]);
  return cert;
}

/** Writes a CA valid for a year around now and a server certificate that expired `daysAgo` days ago. */
export function expiredServerCert(daysAgo = 3, dir = mkdtempSync(join(tmpdir(), 'tg-expired-'))): ExpiredPair {
  const now = Date.now();
  const caKeys = rsaKeys();
  const ca = certificate(
    caKeys.publicPem,
    'telegate expired-test CA',
    '01',
    new Date(now - 365 * DAY_MS),
    new Date(now + 365 * DAY_MS),
  );
  ca.setIssuer(ca.subject.attributes);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  ca.sign(forge.pki.privateKeyFromPem(caKeys.privatePem), forge.md.sha256.create());
  const keys = rsaKeys();
  const notAfter = new Date(now - daysAgo * DAY_MS);
  const leaf = certificate(keys.publicPem, 'localhost', '02', new Date(now - 30 * DAY_MS), notAfter);
  leaf.setIssuer(ca.subject.attributes);
  leaf.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
      ],
    },
  ]);
  leaf.sign(forge.pki.privateKeyFromPem(caKeys.privatePem), forge.md.sha256.create());
  const caFile = join(dir, 'ca.pem');
  const certFile = join(dir, 'server.pem');
  const keyFile = join(dir, 'server-key.pem');
  writeFileSync(caFile, forge.pki.certificateToPem(ca));
  writeFileSync(certFile, forge.pki.certificateToPem(leaf));
  writeFileSync(keyFile, keys.privatePem, { mode: 0o600 });
  return { caFile, certFile, keyFile, notAfter };
}
