// What a plaintext server answers to the first bytes of an HTTP/2 connection, read raw: an HTTP/2
// SETTINGS frame (it speaks h2c, as gRPC needs), an `HTTP/1.1 400` (an HTTP/1.1 server), a TLS alert
// (a TLS port) or nothing before it closes. The client library would only say "protocol error".
import { connect } from 'node:net';

/** What the first bytes said. */
export type FirstBytes = 'http2' | 'http1' | 'tls' | 'closed' | 'other' | 'timeout';

// The client connection preface (RFC 9113 §3.4) and an empty SETTINGS frame.
const PREFACE = Buffer.concat([
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'),
  Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]),
]);
const TLS_ALERT = 0x15;
const TLS_HANDSHAKE = 0x16;
const FRAME_SETTINGS = 4;

/** Opens a connection, writes the HTTP/2 preface and classifies the first bytes of the answer. */
export function readFirstBytes(host: string, port: number, timeoutMs: number): Promise<FirstBytes> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let settled = false;
    const settle = (kind: FirstBytes): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(kind);
    };
    const timer = setTimeout(() => {
      settle('timeout');
    }, timeoutMs);
    socket.once('connect', () => socket.write(PREFACE));
    socket.once('data', (chunk: Buffer) => {
      settle(classify(chunk));
    });
    socket.once('error', () => {
      settle('closed');
    });
    socket.once('close', () => {
      settle('closed');
    });
  });
}

function classify(chunk: Buffer): FirstBytes {
  if (chunk.subarray(0, 5).toString('latin1') === 'HTTP/') return 'http1';
  if (chunk[0] === TLS_ALERT || chunk[0] === TLS_HANDSHAKE) return 'tls';
  if (chunk.length >= 9 && chunk[3] === FRAME_SETTINGS) return 'http2';
  return 'other';
}
