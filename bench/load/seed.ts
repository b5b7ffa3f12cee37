// What the seed's gateway rows share (issue 15's headline): a self-signed certificate for the receiver
// (made once per bench run with the openssl CLI, as the tests make theirs) and the Basic credentials the
// client sends. The client sends gzip-compressed requests over TLS, as the seed's edges do.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { selfSignedCert } from '../../test/helpers/tls.ts';

/** The user and password of the bench's credentials. */
export const BENCH_USER = 'bench';
export const BENCH_PASSWORD = 'bench-password';
/** The Authorization header a client sends with the bench's credentials. */
export const BENCH_BASIC = `Basic ${Buffer.from(`${BENCH_USER}:${BENCH_PASSWORD}`).toString('base64')}`;

/** A certificate and its key, PEM files. */
export interface BenchCert {
  readonly certFile: string;
  readonly keyFile: string;
}

const made = new Map<string, BenchCert>();

/** The run's certificate for 127.0.0.1 (one per temp directory, made on first use). */
export function benchCert(tmp: string): BenchCert {
  let cert = made.get(tmp);
  if (cert === undefined) {
    const dir = join(tmp, 'tls');
    mkdirSync(dir, { recursive: true });
    const c = selfSignedCert(dir);
    cert = { certFile: c.certFile, keyFile: c.keyFile };
    made.set(tmp, cert);
  }
  return cert;
}

/** The load client's arguments of a seed row: gzip in, TLS verified against the run's certificate, Basic credentials. */
export function seedClientArgs(cert: BenchCert): string[] {
  return ['--gzip', '--tls-ca', cert.certFile, '--authorization', BENCH_BASIC];
}
