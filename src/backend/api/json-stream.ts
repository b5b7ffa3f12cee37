// A JSON answer written piece by piece (one trace at a time) instead of built whole: the memory a search
// holds is one trace and the socket's buffer, never the whole answer. Gzip (when the client accepts it)
// runs on the thread pool; a slow reader is waited for (backpressure), and the byte budget ends the answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip, type Gzip } from 'node:zlib';

/** One streamed JSON answer with a budget of `maxBytes` of JSON text (before compression). */
export class JsonStream {
  private readonly req: IncomingMessage;
  private readonly res: ServerResponse;
  private readonly maxBytes: number;
  private out: Gzip | ServerResponse | undefined;
  private bytes = 0;
  private isClosed = false;

  constructor(req: IncomingMessage, res: ServerResponse, maxBytes: number) {
    this.req = req;
    this.res = res;
    this.maxBytes = maxBytes;
    res.once('close', () => {
      this.isClosed = true;
      // A client gone mid-answer: the compressor's memory is freed now, not when the GC finds it.
      if (this.out !== undefined && this.out !== res) this.out.destroy();
    });
  }

  /** True once the client has gone: stop working for it. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** True once `begin` sent the headers. */
  get begun(): boolean {
    return this.res.headersSent || this.bytes > 0;
  }

  /** JSON bytes written so far. */
  get written(): number {
    return this.bytes;
  }

  /** Sends the headers (200, JSON, gzip when accepted) and the opening text. */
  begin(prefix: string): void {
    const res = this.res;
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Vary', 'Accept-Encoding');
    if (this.req.method === 'HEAD') {
      this.bytes += Buffer.byteLength(prefix);
      return;
    }
    if (/\bgzip\b/i.test(this.req.headers['accept-encoding'] ?? '')) {
      res.setHeader('Content-Encoding', 'gzip');
      const gzip = createGzip();
      gzip.pipe(res);
      this.out = gzip;
    } else this.out = res;
    this.out.write(prefix);
    this.bytes += Buffer.byteLength(prefix);
  }

  /** True when `bytes` more would still fit in the budget. */
  fits(bytes: number): boolean {
    return this.bytes + bytes <= this.maxBytes;
  }

  /** Writes `text` (the caller checked `fits`); resolves once the reader has room for more. */
  async write(text: string): Promise<void> {
    this.bytes += Buffer.byteLength(text);
    const out = this.out;
    if (out === undefined || this.isClosed || out.write(text)) return;
    await this.drained(out);
  }

  /** Writes the closing text and ends the answer. */
  end(suffix: string): void {
    if (this.out === undefined) this.res.end();
    else this.out.end(suffix);
  }

  private drained(out: Gzip | ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        out.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      out.on('drain', done);
      this.res.on('close', done);
    });
  }
}
