// Hot path: see bench/load (every request body passes here).
// Reads the one length-prefixed message of a unary gRPC call from a node:http2 stream. The 5-byte
// frame header gives the size: a too-large call is refused before its body is buffered, and the
// message is copied once into a buffer of exactly that size (or not at all when it came in one chunk).
import type { ServerHttp2Stream } from 'node:http2';
import { GRPC_FRAME_HEADER } from './grpc-framing.ts';

/** Why the body could not be read; `declared` is the frame's claimed length for too-large. */
export type BodyError =
  | { readonly kind: 'too-large'; readonly declared: number }
  | { readonly kind: 'protocol'; readonly message: string }
  | { readonly kind: 'aborted' };

/** The message (decompression not yet applied) or why not. */
export type BodyResult =
  { readonly ok: true; readonly compressed: boolean; readonly message: Buffer } | ({ readonly ok: false } & BodyError);

/** Collects the unary message of `stream`, refusing frames declaring more than `maxBytes`. */
export function readUnaryBody(stream: ServerHttp2Stream, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const reader = new UnaryReader(maxBytes);
    const finish = (result: BodyResult): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      const err = reader.push(chunk);
      if (err !== undefined) finish({ ok: false, ...err });
    };
    const onEnd = (): void => {
      finish(reader.end());
    };
    const onClose = (): void => {
      finish({ ok: false, kind: 'aborted' });
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onClose);
  });
}

/** The framing state machine, separate from the stream so tests can feed it chunks directly. */
export class UnaryReader {
  private readonly maxBytes: number;
  private head: Buffer[] = [];
  private headLength = 0;
  private flag = 0;
  private expected = -1;
  private message: Buffer | undefined;
  private filled = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Feeds one chunk; returns an error when the call must be refused now. */
  push(chunk: Buffer): BodyError | undefined {
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
    return { ok: true, compressed: this.flag === 1, message: this.message };
  }

  private start(first: Buffer): BodyError | undefined {
    this.flag = first[0] as number;
    if (this.flag > 1) return { kind: 'protocol', message: `grpc: invalid compressed-flag byte ${this.flag}` };
    this.expected = first.readUInt32BE(1);
    if (this.expected > this.maxBytes) return { kind: 'too-large', declared: this.expected };
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
