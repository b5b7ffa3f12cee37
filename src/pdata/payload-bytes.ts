// Hot path: see bench/load (every batch the batch processor sends is one of these).
// Payloads made of parts: a batch is its requests' own Buffers laid end to end (one valid request,
// see concat.ts), an edited request its untouched byte ranges and its new bytes (resource-edit.ts);
// the contiguous copy is made only if some consumer reads `bytes`.
import type { DeflatePiece, Payload, RequestContext } from '../contracts/payload.ts';
import type { Signal } from '../contracts/signal.ts';
import { concatRequests } from './concat.ts';

/**
 * A payload whose bytes are `parts` concatenated. `bytes` is a getter: the concatenation is made on
 * first access and cached, so a payload handed to several consumers (fan-out, retries) is copied at
 * most once.
 */
export class PartsPayload implements Payload {
  readonly signal: Signal;
  items: number;
  readonly context: RequestContext;
  readonly parts: readonly Buffer[];
  /** Sum of the parts' lengths. */
  readonly byteLength: number;
  readonly deflatePieces: readonly DeflatePiece[] | undefined;
  private joined: Buffer | undefined;

  /** `parts` must be non-empty and is kept (not copied): the caller gives it up. */
  constructor(
    signal: Signal,
    parts: readonly Buffer[],
    byteLength: number,
    items: number,
    context: RequestContext,
    deflatePieces?: readonly DeflatePiece[],
  ) {
    this.signal = signal;
    this.parts = parts;
    this.deflatePieces = deflatePieces;
    this.byteLength = byteLength;
    this.items = items;
    this.context = context;
    this.joined = undefined;
  }

  get bytes(): Buffer {
    let joined = this.joined;
    if (joined === undefined) {
      joined = concatRequests(this.parts, this.byteLength);
      this.joined = joined;
    }
    return joined;
  }
}

/** The payload's size in bytes, without concatenating its parts. */
export function payloadByteLength(p: Payload): number {
  if (p instanceof PartsPayload) return p.byteLength;
  const parts = p.parts;
  if (parts === undefined) return p.bytes.length;
  let n = 0;
  for (const part of parts) n += part.length;
  return n;
}

/** The payload as the Buffers to write in order: its parts, or its contiguous bytes. No copy. */
export function payloadChunks(p: Payload): Buffer | readonly Buffer[] {
  return p.parts ?? p.bytes;
}
