// Reads `partial_success` from an Export*ServiceResponse (field 1: { rejected count = 1, error_message = 2 },
// the same shape for traces, metrics and logs) without a full decode.
import { WIRE_LEN, WIRE_VARINT, WireReader } from '../../pdata/wire.ts';

/** Rejected items and the server's message; both zero/empty when the answer was a full success. */
export interface PartialSuccess {
  readonly rejected: number;
  readonly message: string;
}

const NONE: PartialSuccess = Object.freeze({ rejected: 0, message: '' });

/** Decodes partial_success; a malformed response counts as a full success (the data was accepted). */
export function readPartialSuccess(response: Buffer | undefined): PartialSuccess {
  if (response === undefined || response.length === 0) return NONE;
  try {
    const r = new WireReader(response);
    let result = NONE;
    while (r.hasMore()) {
      const tag = r.tag();
      if (tag === ((1 << 3) | WIRE_LEN)) result = readInner(r.bytes());
      else r.skip(tag & 7);
    }
    return result;
  } catch {
    return NONE;
  }
}

function readInner(bytes: Buffer): PartialSuccess {
  const r = new WireReader(bytes);
  let rejected = 0;
  let message = '';
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag === ((1 << 3) | WIRE_VARINT)) rejected = r.uint64Number();
    else if (tag === ((2 << 3) | WIRE_LEN)) message = r.string();
    else r.skip(tag & 7);
  }
  return { rejected, message };
}
