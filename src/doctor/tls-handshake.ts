// The TLS handshake of the TLS step, made with the exporter's own options but without letting node
// refuse the certificate: doctor wants the certificate in hand to say what is wrong with it.
import { connect, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import { errorCode } from './error-code.ts';

/** A completed handshake: what the server presented and what node's verification said of it. */
export interface Handshake {
  readonly ok: true;
  readonly cert: PeerCertificate;
  /** node's chain verdict (`CERT_HAS_EXPIRED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, …); '' when trusted. */
  readonly chainError: string;
  /** The ALPN protocol the server chose, or '' when it chose none. */
  readonly alpn: string;
}

/** A handshake that did not complete. */
export interface NoHandshake {
  readonly ok: false;
  readonly code: string;
  readonly message: string;
}

/** Runs one handshake against `address`:`port` offering `alpn`, then closes the connection. */
export function handshake(
  options: ConnectionOptions,
  address: string,
  port: number,
  alpn: readonly string[],
  timeoutMs: number,
): Promise<Handshake | NoHandshake> {
  return new Promise((resolve) => {
    const socket = connect({
      ...options,
      host: address,
      port,
      ALPNProtocols: [...alpn],
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, code: 'TIMEOUT', message: `no TLS answer within ${timeoutMs} ms` });
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const chainError = socket.authorizationError as Error | string | null | undefined;
      resolve({
        ok: true,
        cert: socket.getPeerCertificate(true),
        chainError: chainError === null || chainError === undefined ? '' : errorCode(chainError) || String(chainError),
        alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : '',
      });
      socket.destroy();
    });
    socket.once('error', (err: Error) => {
      clearTimeout(timer);
      resolve({ ok: false, code: errorCode(err), message: err.message });
    });
  });
}
