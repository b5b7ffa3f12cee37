// Hot path: see bench/load (gRPC framing is paid per request).
// gRPC length-prefixed message framing (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md):
// each message is 1 byte compressed-flag, 4 bytes big-endian length, then the message.

export const GRPC_FRAME_HEADER = 5;

/** Frames one message; `compressed` sets the flag byte. One allocation. */
export function frameMessage(message: Buffer, compressed: boolean): Buffer {
  const out = Buffer.allocUnsafe(GRPC_FRAME_HEADER + message.length);
  out[0] = compressed ? 1 : 0;
  out.writeUInt32BE(message.length, 1);
  message.copy(out, GRPC_FRAME_HEADER);
  return out;
}

/** The 5-byte frame header alone, for writing header and body as two chunks without a copy. */
export function frameHeader(length: number, compressed: boolean): Buffer {
  const out = Buffer.allocUnsafe(GRPC_FRAME_HEADER);
  out[0] = compressed ? 1 : 0;
  out.writeUInt32BE(length, 1);
  return out;
}

/** Why a unary body could not be unframed. */
export type UnframeError = 'truncated' | 'too-large' | 'multiple-messages' | 'bad-flag';

/** The single message of a unary call, or why not. `message` is a view into `body`. */
export type Unframed =
  | { readonly ok: true; readonly message: Buffer; readonly compressed: boolean }
  | { readonly ok: false; readonly error: UnframeError; readonly declaredLength?: number };

/**
 * Reads the one message a unary gRPC request or response body must hold.
 * `maxLength` bounds the declared length before anything else is done with it.
 */
export function unframeUnary(body: Buffer, maxLength: number): Unframed {
  if (body.length < GRPC_FRAME_HEADER) return { ok: false, error: 'truncated' };
  const flag = body[0];
  if (flag !== 0 && flag !== 1) return { ok: false, error: 'bad-flag' };
  const length = body.readUInt32BE(1);
  if (length > maxLength) return { ok: false, error: 'too-large', declaredLength: length };
  const end = GRPC_FRAME_HEADER + length;
  if (body.length < end) return { ok: false, error: 'truncated' };
  if (body.length > end) return { ok: false, error: 'multiple-messages' };
  return { ok: true, message: body.subarray(GRPC_FRAME_HEADER, end), compressed: flag === 1 };
}

/** Reads the declared length of the first frame once its header has arrived (for early size checks). */
export function peekFrameLength(firstChunk: Buffer): number | undefined {
  return firstChunk.length >= GRPC_FRAME_HEADER ? firstChunk.readUInt32BE(1) : undefined;
}
