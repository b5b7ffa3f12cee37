// Hot path: see bench/load (every request body passes here).
// Reads the one length-prefixed message of a unary gRPC call from a node:http2 stream. The 5-byte
// frame header gives the size: a too-large call is refused before its body is buffered, the size is
// reserved in the receiver's byte budget before it is allocated (past the budget the stream is paused,
// so HTTP/2 flow control holds the client, until bytes come free), and the message is copied once into a
// buffer of exactly that size (or not at all when it came in one chunk).
import type { ServerHttp2Stream } from 'node:http2';
import type { BodyBudget, BudgetWait } from './byte-budget.ts';
import { GRPC_FRAME_HEADER } from './grpc-framing.ts';

/** Why the body could not be read; `declared` is the frame's claimed length for too-large. */
export type BodyError =
  | { readonly kind: 'too-large'; readonly declared: number }
  | { readonly kind: 'protocol'; readonly message: string }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'over-budget'; readonly outcome: BudgetWait }
  | { readonly kind: 'timeout' };

/** The reader needs `bytes` of budget before it can go on. */
export interface ReaderWait {
  readonly kind: 'wait';
  readonly bytes: number;
}

/**
 * The message (decompression not yet applied) or why not. `heldBytes` are reserved in the budget until
 * the caller releases them (after decompression); a failed read has released its own.
 */
export type BodyResult =
  | { readonly ok: true; readonly compressed: boolean; readonly message: Buffer; readonly heldBytes: number }
  | ({ readonly ok: false } & BodyError);

/** The bounds of one body read beyond its size. */
export interface BodyLimits {
  readonly budget?: BodyBudget | undefined;
  /** How long the read may wait for budget now (at most backpressure_timeout and the call's deadline). */
  readonly waitMs?: (() => number) | undefined;
  /** How long the whole body may take to arrive (slow clients); none when absent or 0. */
  readonly readTimeoutMs?: number | undefined;
}

/** Collects the unary message of `stream`, refusing frames declaring more than `maxBytes`. */
export function readUnaryBody(stream: ServerHttp2Stream, maxBytes: number, limits?: BodyLimits): Promise<BodyResult> {
  return new Promise((resolve) => {
    new BodyRead(stream, maxBytes, limits ?? {}, resolve).start();
  });
}

/** One read in progress: the reader fed from the stream, the budget wait and the read timeout. */
class BodyRead {
  private readonly stream: ServerHttp2Stream;
  private readonly reader: UnaryReader;
  private readonly limits: BodyLimits;
  private readonly resolve: (result: BodyResult) => void;
  private held = 0;
  private done = false;
  private ended = false;
  /** Chunks that came while waiting for budget (pause() stops the flow, not what is already on its way). */
  private queued: Buffer[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private gone: AbortController | undefined;

  constructor(stream: ServerHttp2Stream, maxBytes: number, limits: BodyLimits, resolve: (r: BodyResult) => void) {
    this.stream = stream;
    this.limits = limits;
    this.resolve = resolve;
    const budget = limits.budget?.budget;
    this.reader = new UnaryReader(
      maxBytes,
      budget === undefined ? undefined : (bytes) => budget.tryAcquire(bytes) && this.hold(bytes),
    );
  }

  start(): void {
    this.stream.on('data', this.onData);
    this.stream.once('end', this.onEnd);
    this.stream.once('close', this.onClose);
    const ms = this.limits.readTimeoutMs ?? 0;
    if (ms > 0) this.timer = setTimeout(this.onTimeout, ms);
  }

  private hold(bytes: number): true {
    this.held = bytes;
    return true;
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.queued !== undefined) this.queued.push(chunk);
    else this.handle(this.reader.push(chunk));
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    if (this.queued === undefined) this.finish(this.reader.end());
  };

  private readonly onClose = (): void => {
    this.finish({ ok: false, kind: 'aborted' });
  };

  private readonly onTimeout = (): void => {
    this.finish({ ok: false, kind: 'timeout' });
  };

  private handle(out: BodyError | ReaderWait | undefined): void {
    if (out === undefined) return;
    if (out.kind === 'wait') this.waitForBudget(out.bytes);
    else this.finish({ ok: false, ...out });
  }

  private waitForBudget(bytes: number): void {
    const budget = this.limits.budget;
    if (budget === undefined) return;
    this.queued = [];
    this.stream.pause();
    this.gone = new AbortController();
    void budget.budget.acquire(bytes, this.limits.waitMs?.() ?? budget.maxWaitMs, this.gone.signal).then((outcome) => {
      if (this.done) {
        if (outcome === 'admitted') budget.budget.release(bytes);
      } else if (outcome !== 'admitted') this.finish({ ok: false, kind: 'over-budget', outcome });
      else this.admitted(bytes);
    });
  }

  private admitted(bytes: number): void {
    this.held = bytes;
    const queued = this.queued ?? [];
    this.queued = undefined;
    let out: BodyError | ReaderWait | undefined = this.reader.resume();
    for (const chunk of queued) {
      if (out !== undefined) break;
      out = this.reader.push(chunk);
    }
    this.handle(out);
    if (this.done) return;
    if (this.ended) this.finish(this.reader.end());
    else this.stream.resume();
  }

  private finish(result: BodyResult): void {
    if (this.done) return;
    this.done = true;
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onClose);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.gone?.abort();
    // A stream paused for the budget flows again, to no listener: what it still receives is dropped, and
    // HTTP/2 flow control is not left holding the connection's window (and the answer) behind it.
    if (this.queued !== undefined) this.stream.resume();
    if (result.ok) {
      this.resolve(this.held === 0 ? result : { ...result, heldBytes: this.held });
      return;
    }
    if (this.held > 0) this.limits.budget?.budget.release(this.held);
    this.held = 0;
    this.resolve(result);
  }
}

/** The framing state machine, separate from the stream so tests can feed it chunks directly. */
export class UnaryReader {
  private readonly maxBytes: number;
  private readonly reserve: ((bytes: number) => boolean) | undefined;
  /** The chunk holding the header while the budget is awaited. */
  private pending: Buffer | undefined;
  private head: Buffer[] = [];
  private headLength = 0;
  private flag = 0;
  private expected = -1;
  private message: Buffer | undefined;
  private filled = 0;

  /** `reserve` (the byte budget) is asked for the declared size before the message is buffered. */
  constructor(maxBytes: number, reserve?: (bytes: number) => boolean) {
    this.maxBytes = maxBytes;
    this.reserve = reserve;
  }

  /** Feeds one chunk; returns an error when the call must be refused now. */
  push(chunk: Buffer): BodyError | ReaderWait | undefined {
    if (this.expected >= 0) return this.append(chunk);
    if (this.headLength + chunk.length < GRPC_FRAME_HEADER) {
      this.head.push(chunk);
      this.headLength += chunk.length;
      return undefined;
    }
    // The header is rarely split across chunks; only then is a tiny concat paid.
    const first = this.headLength === 0 ? chunk : Buffer.concat([...this.head, chunk]);
    this.head = [];
    return this.start(first);
  }

  /** Goes on after a {@link ReaderWait}: the budget now holds the declared size. */
  resume(): BodyError | undefined {
    const first = this.pending;
    this.pending = undefined;
    return first === undefined ? undefined : this.fill(first);
  }

  /** The stream ended: the message, or why it is incomplete. */
  end(): BodyResult {
    if (this.expected < 0) {
      return {
        ok: false,
        kind: 'protocol',
        message:
          this.headLength === 0 ? 'grpc: client sent no request message' : 'grpc: unexpected EOF in message header',
      };
    }
    if (this.filled < this.expected || this.message === undefined) {
      return {
        ok: false,
        kind: 'protocol',
        message: `grpc: unexpected EOF: got ${this.filled} of ${this.expected} message bytes`,
      };
    }
    return { ok: true, compressed: this.flag === 1, message: this.message, heldBytes: 0 };
  }

  private start(first: Buffer): BodyError | ReaderWait | undefined {
    this.flag = first[0] as number;
    if (this.flag > 1) return { kind: 'protocol', message: `grpc: invalid compressed-flag byte ${this.flag}` };
    this.expected = first.readUInt32BE(1);
    if (this.expected > this.maxBytes) return { kind: 'too-large', declared: this.expected };
    if (this.reserve !== undefined && !this.reserve(this.expected)) {
      this.pending = first;
      return { kind: 'wait', bytes: this.expected };
    }
    return this.fill(first);
  }

  private fill(first: Buffer): BodyError | undefined {
    const rest = first.subarray(GRPC_FRAME_HEADER);
    if (rest.length >= this.expected) {
      // Whole message in one chunk: keep a view, no copy.
      if (rest.length > this.expected) return extraData();
      this.message = rest;
      this.filled = rest.length;
      return undefined;
    }
    this.message = Buffer.allocUnsafe(this.expected);
    this.filled = rest.copy(this.message, 0);
    return undefined;
  }

  private append(chunk: Buffer): BodyError | undefined {
    if (this.message === undefined || this.filled + chunk.length > this.expected) return extraData();
    this.filled += chunk.copy(this.message, this.filled);
    return undefined;
  }
}

function extraData(): BodyError {
  return {
    kind: 'protocol',
    message: 'grpc: client streaming protocol violation: unary call sent more than one message',
  };
}
