// The requests doctor sends: an empty ExportTraceServiceRequest (no resource spans), and one padded to
// a given size with an unknown field — still zero spans, so a receiver answers it without passing
// anything on (OTLP receivers skip unknown fields; Go's and ours answer an empty request at once).
import { randomFillSync } from 'node:crypto';
import { lenFieldSize, writeLenHeader } from '../pdata/wire.ts';
import { frameMessage } from '../transport/grpc-framing.ts';

// A field number ExportTraceServiceRequest does not use (only 1, resource_spans, is defined).
const PADDING_FIELD = 1000;

/** The serialized empty ExportTraceServiceRequest: zero bytes. */
export const EMPTY_EXPORT = Buffer.alloc(0);

/**
 * An ExportTraceServiceRequest of exactly `bytes` bytes (at least 8) holding no span. The padding is
 * random so that compression on the way cannot make it smaller than the batch it stands for.
 */
export function paddedExport(bytes: number): Buffer {
  let length = Math.max(0, bytes - lenFieldSize(PADDING_FIELD, 0));
  // The length prefix grows with the length: shrink the payload until the whole field is `bytes`.
  while (length > 0 && lenFieldSize(PADDING_FIELD, length) > bytes) length--;
  const out = Buffer.alloc(lenFieldSize(PADDING_FIELD, length));
  randomFillSync(out, writeLenHeader(out, 0, PADDING_FIELD, length));
  return out;
}

/** The message as one uncompressed gRPC frame. */
export function grpcFrame(message: Buffer): Buffer {
  return frameMessage(message, false);
}
