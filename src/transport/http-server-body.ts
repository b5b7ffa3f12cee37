// Hot path: see bench/load (every OTLP/HTTP body passes here).
// Reads a request body with a hard limit: a Content-Length over the limit is refused before reading,
// a chunked body is cut off at the limit, and nothing past the limit is ever buffered. With a known
// length the body is copied once into a buffer of exactly that size. With a byte budget, a known length
// is reserved before reading (a chunked body chunk by chunk); past the budget the request is not read
// (TCP flow control holds the client) until bytes come free, within a bound.
import type { IncomingMessage } from 'node:http';
import type { BodyBudget, BudgetWait } from './byte-budget.ts';
import { untilClosed } from './until-closed.ts';

/** The body (with the bytes it holds in the budget, for the caller to release), or why not. */
export type BodyRead =
  | { readonly ok: true; readonly body: Buffer; readonly heldBytes: number }
  | { readonly ok: false; readonly error: 'too-large' | 'aborted' }
  | { readonly ok: false; readonly error: 'over-budget'; readonly outcome: BudgetWait };

/** Reads `req`'s body, at most `maxBytes`. After `too-large`, call {@link discardRest}. */
export function readBody(req: IncomingMessage, maxBytes: number, budget?: BodyBudget): Promise<BodyRead> {
  const declared = contentLength(req);
  if (declared !== undefined && declared > maxBytes) return Promise.resolve({ ok: false, error: 'too-large' });
  if (budget === undefined || declared === undefined || budget.budget.tryAcquire(declared))
    return collect(req, maxBytes, declared, budget);
  return waitThenCollect(req, maxBytes, declared, budget);
}

async function waitThenCollect(
  req: IncomingMessage,
  maxBytes: number,
  declared: number,
  budget: BodyBudget,
): Promise<BodyRead> {
  const outcome = await waitForBudget(req, budget, declared);
  if (outcome !== 'admitted') return { ok: false, error: 'over-budget', outcome };
  return collect(req, maxBytes, declared, budget);
}

/** Waits for `bytes` of budget while `req` stays unread; 'gone' when the client leaves meanwhile. */
function waitForBudget(req: IncomingMessage, budget: BodyBudget, bytes: number): Promise<BudgetWait> {
  return untilClosed(req, (signal) => budget.budget.acquire(bytes, budget.maxWaitMs, signal));
}

/** Reads the body; a declared length is already reserved, a chunked body reserves as it comes. */
function collect(
  req: IncomingMessage,
  maxBytes: number,
  declared: number | undefined,
  budget: BodyBudget | undefined,
): Promise<BodyRead> {
  return new Promise((resolve) => {
    const sink = declared === undefined ? new ChunkSink() : new FixedSink(declared);
    let held = budget === undefined ? 0 : (declared ?? 0);
    const perChunk = budget !== undefined && declared === undefined;
    let finished = false;
    const done = (result: BodyRead): void => {
      if (finished) return;
      finished = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      if (!result.ok && held > 0) budget?.budget.release(held);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      if (sink.length + chunk.length > maxBytes) {
        done({ ok: false, error: 'too-large' });
        return;
      }
      sink.add(chunk);
      if (!perChunk) return;
      if (budget.budget.tryAcquire(chunk.length)) held += chunk.length;
      else pauseForBudget(chunk.length);
    };
    // A chunked body past the budget: this chunk is here already, the next ones wait for it to be reserved.
    const pauseForBudget = (bytes: number): void => {
      req.pause();
      const b = budget as BodyBudget;
      void waitForBudget(req, b, bytes).then((outcome) => {
        if (finished) {
          if (outcome === 'admitted') b.budget.release(bytes);
        } else if (outcome !== 'admitted') done({ ok: false, error: 'over-budget', outcome });
        else {
          held += bytes;
          req.resume();
        }
      });
    };
    const onEnd = (): void => {
      done({ ok: true, body: sink.result(), heldBytes: held });
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
