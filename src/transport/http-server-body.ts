// Hot path: see bench/load (every OTLP/HTTP body passes here).
// Reads a request body with a hard limit: a Content-Length over the limit is refused before reading,
// a chunked body is cut off at the limit, and nothing past the limit is ever buffered. With a known
// length the body is copied once into a buffer of exactly that size.
import type { IncomingMessage } from 'node:http';

/** The body, or why not. */
export type BodyRead =
  { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly error: 'too-large' | 'aborted' };

/** Reads `req`'s body, at most `maxBytes`. After `too-large`, call {@link discardRest}. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const declared = contentLength(req);
  if (declared !== undefined && declared > maxBytes) return Promise.resolve({ ok: false, error: 'too-large' });
  return new Promise((resolve) => {
    const sink = declared === undefined ? new ChunkSink() : new FixedSink(declared);
    const done = (result: BodyRead): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      if (sink.length + chunk.length > maxBytes) done({ ok: false, error: 'too-large' });
      else sink.add(chunk);
    };
    const onEnd = (): void => {
      done({ ok: true, body: sink.result() });
    };
    const onClose = (): void => {
      done({ ok: false, error: 'aborted' });
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
  });
}

/**
 * After refusing a body, reads and drops what the client still sends so that it can read our
 * response (closing with unread data makes TCP send RST), but cuts the connection past `capBytes`.
 */
export function discardRest(req: IncomingMessage, capBytes: number): void {
  if (req.readableEnded) return;
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > capBytes) req.socket.destroy();
  });
  req.resume();
}

function contentLength(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Chunks of unknown total length: one concat at the end. */
class ChunkSink {
  length = 0;
  private readonly chunks: Buffer[] = [];
  add(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
  result(): Buffer {
    return this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.length);
  }
}

/** A declared length: one preallocated buffer, each chunk copied in once. */
class FixedSink {
  length = 0;
  private first: Buffer | undefined;
  private buf: Buffer | undefined;
  private readonly size: number;
  constructor(size: number) {
    this.size = size;
  }
  add(chunk: Buffer): void {
    // A body that arrives in one chunk is kept as is (no copy).
    if (this.length === 0 && this.buf === undefined && this.first === undefined) {
      this.first = chunk;
      this.length = chunk.length;
      return;
    }
    if (this.buf === undefined) {
      this.buf = Buffer.allocUnsafe(Math.max(this.size, this.length + chunk.length));
      if (this.first !== undefined) this.first.copy(this.buf, 0);
      this.first = undefined;
    }
    if (this.length + chunk.length > this.buf.length) {
      // The parser enforces Content-Length, so this only guards against a wrong header.
      const grown = Buffer.allocUnsafe(this.length + chunk.length);
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    chunk.copy(this.buf, this.length);
    this.length += chunk.length;
  }
  result(): Buffer {
    if (this.first !== undefined) return this.first;
    return this.buf === undefined ? Buffer.alloc(0) : this.buf.subarray(0, this.length);
  }
}
