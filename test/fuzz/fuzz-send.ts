// Sends fuzz inputs to a receiver and reports what came back, with no interpretation: raw node:http2
// sessions for gRPC (so any DATA bytes and headers can be sent) and a keep-alive node:http agent for
// OTLP/HTTP. A stream reset, a socket error or no answer in time is reported as such, never thrown.
import http from 'node:http';
import { connect, type ClientHttp2Session } from 'node:http2';
import type { FuzzInput } from './fuzz-input.ts';

/** What the receiver answered. */
export type Answer =
  | { readonly kind: 'grpc'; readonly httpStatus: number; readonly grpcStatus: number | undefined }
  | { readonly kind: 'http'; readonly status: number; readonly previous?: string }
  | { readonly kind: 'no-answer'; readonly detail: string; readonly previous?: string };

/** No answer within this long is a hang (every input is small; the receiver answers in milliseconds). */
const ANSWER_TIMEOUT_MS = 30_000;

/** Round-robins gRPC calls over `sessions` HTTP/2 connections, reopening one that closed. */
export class GrpcSender {
  private readonly url: string;
  private readonly sessions: (ClientHttp2Session | undefined)[];
  private next = 0;
  /** Connections that ended with an error or a GOAWAY carrying one (each is a finding). */
  readonly sessionErrors: string[] = [];

  constructor(port: number, sessions: number) {
    this.url = `http://127.0.0.1:${port}`;
    this.sessions = Array<ClientHttp2Session | undefined>(sessions).fill(undefined);
  }

  private session(): ClientHttp2Session {
    const i = this.next++ % this.sessions.length;
    const open = this.sessions[i];
    if (open !== undefined && !open.closed && !open.destroyed) return open;
    const s = connect(this.url);
    s.on('error', (err) => this.sessionErrors.push(`session error: ${err.message}`));
    s.on('goaway', (code) => {
      if (code !== 0) this.sessionErrors.push(`GOAWAY code ${code}`);
    });
    s.on('close', () => {
      if (this.sessions[i] === s) this.sessions[i] = undefined;
    });
    this.sessions[i] = s;
    return s;
  }

  send(input: FuzzInput): Promise<Answer> {
    return new Promise((resolve) => {
      let httpStatus = 0;
      let grpcStatus: number | undefined;
      const stream = this.session().request({ ':method': input.method, ':path': input.path, ...input.headers });
      const timer = setTimeout(() => {
        stream.close();
        resolve({ kind: 'no-answer', detail: `no answer in ${ANSWER_TIMEOUT_MS} ms` });
      }, ANSWER_TIMEOUT_MS);
      const status = (h: Record<string, unknown>): void => {
        const v = h['grpc-status'];
        if (typeof v === 'string' && grpcStatus === undefined) grpcStatus = Number(v);
      };
      stream.on('response', (h) => {
        httpStatus = Number(h[':status']);
        status(h);
      });
      stream.on('trailers', status);
      stream.on('data', () => undefined);
      stream.on('error', () => undefined);
      stream.on('close', () => {
        clearTimeout(timer);
        if (httpStatus === 0)
          resolve({ kind: 'no-answer', detail: `stream closed without headers, RST code ${stream.rstCode}` });
        else resolve({ kind: 'grpc', httpStatus, grpcStatus });
      });
      // Every third body goes in three DATA frames, its 5-byte gRPC header split across the first two.
      const b = input.body;
      if (b.length % 3 === 0 && b.length > 6) {
        stream.write(b.subarray(0, 2));
        stream.write(b.subarray(2, 6));
        stream.end(b.subarray(6));
      } else stream.end(b);
    });
  }

  close(): void {
    for (const s of this.sessions) s?.close();
  }
}

/** Sends OTLP/HTTP requests over at most `sockets` keep-alive connections. */
export class HttpSender {
  private readonly port: number;
  private readonly agent: http.Agent;
  /** The inputs each keep-alive connection carried last, for telling what went before a wrong answer. */
  private readonly history = new WeakMap<object, string[]>();

  constructor(port: number, sockets: number) {
    this.port = port;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  send(input: FuzzInput): Promise<Answer> {
    return new Promise((resolve) => {
      // Every third body is sent chunked (no Content-Length), in two chunks.
      const chunked = input.body.length % 3 === 0 && input.body.length > 1;
      // Named explicitly: node:http chunks a PUT or PATCH body by itself but sends a DELETE body unframed.
      const headers = chunked
        ? { ...input.headers, 'transfer-encoding': 'chunked' }
        : { ...input.headers, 'content-length': String(input.body.length) };
      const req = http.request(
        { host: '127.0.0.1', port: this.port, method: input.method, path: input.path, headers, agent: this.agent },
        (res) => {
          res.on('data', () => undefined);
          res.on('error', () => undefined);
          // 'close' also follows a body cut short: the status line already is the answer.
          res.on('close', () => {
            resolve({ kind: 'http', status: res.statusCode ?? 0, previous });
          });
        },
      );
      let previous = '';
      req.on('socket', (socket) => {
        const h = this.history.get(socket) ?? [];
        previous = h.join(' | ');
        h.push(`${input.label} ${chunked ? 'chunked' : 'length'} ${input.body.length} B`);
        this.history.set(socket, h.slice(-3));
      });
      req.setTimeout(ANSWER_TIMEOUT_MS, () => {
        req.destroy(new Error(`no answer in ${ANSWER_TIMEOUT_MS} ms`));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        resolve({ kind: 'no-answer', detail: `${err.code ?? ''} ${err.message}`, previous });
      });
      if (chunked) {
        const half = input.body.length >>> 1;
        req.write(input.body.subarray(0, half));
        req.end(input.body.subarray(half));
      } else req.end(input.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
