// Batching by concatenation: protobuf merges repeated fields of concatenated messages, so serialized
// Export*ServiceRequests laid end to end are one request holding every part's resource entries, in order.
// No decode; one allocation. PartsPayload (payload-bytes.ts) joins a batch's parts with it.

/**
 * One request holding the resource entries of every part, in order (the parts must be of one signal).
 * `byteLength` is the parts' total length (saves Buffer.concat a pass); a single part is returned as it is.
 */
export function concatRequests(parts: readonly Buffer[], byteLength: number): Buffer {
  const [first] = parts;
  return parts.length === 1 && first !== undefined ? first : Buffer.concat(parts, byteLength);
}
