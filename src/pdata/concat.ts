// Batching by concatenation: protobuf merges repeated fields of concatenated messages, so serialized
// Export*ServiceRequests laid end to end are one request holding every part's resource entries, in order.
// No decode; one allocation.

/** One request holding the resource entries of every part, in order (the parts must be of one signal). */
export function concatRequests(parts: readonly Buffer[]): Buffer {
  const [first] = parts;
  if (parts.length === 1 && first !== undefined) return first;
  return Buffer.concat(parts);
}
