// A scripted OTLP/HTTP server for exporter tests: records each request (path, headers, the body as
// sent on the wire and inflated) and answers from a script, then with a fallback (200, empty body).
import http from 'node:http';
import https from 'node:https';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';

/** One recorded request. */
export interface HttpCall {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The body as it came over the wire. */
  readonly wire: Buffer;
  /** The body after Content-Encoding was undone. */
  readonly body: Buffer;
}

/** How to answer one request. */
export interface HttpReply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
  /** Answer only after this long (the exporter's timeout is expected to cut it short). */
  readonly delayMs?: number;
}

/** A local HTTP(S) server answering `script` in order, then `fallback`. */
export class OtlpHttpServer {
  readonly calls: HttpCall[] = [];
  readonly script: HttpReply[] = [];
  fallback: HttpReply = {};
  private readonly server: http.Server;
  private waiters: { n: number; resolve: () => void }[] = [];

  constructor(tls?: { cert: Buffer | string; key: Buffer | string }) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      this.handle(req, res);
    };
    this.server = tls === undefined ? http.createServer(handler) : https.createServer(tls, handler);
  }

  /** Listens on 127.0.0.1 (port 0 unless given) and returns the port. */
  async start(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Resolves once `n` requests have been recorded. */
  waitForCalls(n: number): Promise<void> {
    if (this.calls.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const wire = Buffer.concat(chunks);
      const encoding = req.headers['content-encoding'];
      const body =
        encoding === 'gzip'
          ? gunzipSync(wire)
          : encoding === 'deflate' || encoding === 'zlib'
            ? inflateSync(wire)
            : wire;
      this.calls.push({ path: req.url ?? '', headers: req.headers, wire, body });
      const reply = this.script.shift() ?? this.fallback;
      const answer = (): void => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, reply.headers ?? {});
        res.end(reply.body ?? '');
      };
      if (reply.delayMs === undefined) answer();
      else setTimeout(answer, reply.delayMs).unref();
      this.waiters = this.waiters.filter((w) => {
        if (this.calls.length < w.n) return true;
        w.resolve();
        return false;
      });
    });
  }
}
