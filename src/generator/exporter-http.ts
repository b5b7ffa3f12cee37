// OTLP/HTTP export (https://opentelemetry.io/docs/specs/otlp/#otlphttp): POST a protobuf body to
// <endpoint><path> over keep-alive node:http/https; a non-2xx answer's google.rpc.Status message is the reason.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { grpcStatusOfOtlpHttp } from '../errors/grpc-http-status.ts';
import { grpcStatusName } from '../errors/grpc-status.ts';
import { decodeStatusDetails } from '../transport/grpc-status-details.ts';
import { endpointOf, httpPathOf, type GenOptions } from './options.ts';
import { redact, requestHeaders, usesTls, type Exporter, type SendOutcome } from './exporter.ts';

const MAX_ERROR_BODY = 64 * 1024;
const OK: SendOutcome = { ok: true, reason: '' };

/** The URL the flags describe: a full URL as given, else http(s)://<host:port><path>. */
export function httpUrlOf(o: GenOptions): URL {
  const endpoint = endpointOf(o);
  const base = /^https?:\/\//.test(endpoint) ? endpoint : `${usesTls(o, endpoint) ? 'https' : 'http'}://${endpoint}`;
  const url = new URL(base);
  if (url.pathname === '/' || url.pathname === '') url.pathname = httpPathOf(o);
  return url;
}

/** An Exporter for OTLP/HTTP protobuf. */
export function httpExporter(o: GenOptions, maxSockets: number): Exporter {
  const url = httpUrlOf(o);
  const isTls = url.protocol === 'https:';
  const agent = isTls
    ? new https.Agent({ keepAlive: true, maxSockets, ...tlsOf(o) })
    : new http.Agent({ keepAlive: true, maxSockets });
  const headers = { ...requestHeaders(o), 'content-type': 'application/x-protobuf', 'user-agent': 'telegate-gen' };
  const request = isTls ? https.request : http.request;
  return {
    send: (body) =>
      new Promise<SendOutcome>((resolve) => {
        const req = request(url, {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': body.length },
          timeout: o.timeoutMs,
        });
        req.on('response', (res) => {
          readAnswer(o, res, resolve);
        });
        req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)));
        req.on('error', (err) => {
          resolve({ ok: false, reason: redact(o, connectionReason(err, url)) });
        });
        req.end(body);
      }),
    close: () => {
      agent.destroy();
      return Promise.resolve();
    },
  };
}

function tlsOf(o: GenOptions): https.AgentOptions {
  const t: https.AgentOptions = { rejectUnauthorized: !o.insecureSkipVerify };
  if (o.caCert !== '') t.ca = readFileSync(o.caCert);
  if (o.clientCert !== '') t.cert = readFileSync(o.clientCert);
  if (o.clientKey !== '') t.key = readFileSync(o.clientKey);
  return t;
}

function readAnswer(o: GenOptions, res: http.IncomingMessage, resolve: (r: SendOutcome) => void): void {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) {
    res.resume();
    res.on('end', () => {
      resolve(OK);
    });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (c: Buffer) => {
    if (size < MAX_ERROR_BODY) chunks.push(c);
    size += c.length;
  });
  res.on('error', () => {
    resolve({ ok: false, reason: `HTTP ${status}` });
  });
  res.on('end', () => {
    const message = statusMessage(Buffer.concat(chunks), res.headers['content-type'] ?? '');
    const code = grpcStatusOfOtlpHttp(status);
    const name = code === undefined ? '' : `${grpcStatusName(code)}: `;
    resolve({ ok: false, reason: redact(o, `${name}HTTP ${status}${message === '' ? '' : `: ${message}`}`) });
  });
}

// The message of a google.rpc.Status for protobuf answers; the text itself otherwise.
function statusMessage(body: Buffer, contentType: string): string {
  if (!contentType.includes('protobuf')) return body.toString('utf8').trim().slice(0, 500);
  try {
    return decodeStatusDetails(body).message;
  } catch {
    return '';
  }
}

function connectionReason(err: Error, url: URL): string {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'ECONNREFUSED')
    return `UNAVAILABLE: connection refused by ${url.host}: is the server running and listening there?`;
  if (code.startsWith('ERR_SSL') || code.includes('CERT') || code.startsWith('ERR_TLS'))
    return `UNAVAILABLE: TLS handshake with ${url.host} failed: ${err.message}`;
  return `UNAVAILABLE: ${url.host}: ${err.message}${code === '' ? '' : ` (${code})`}`;
}
