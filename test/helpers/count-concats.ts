// Counts Buffer.concat calls: lets tests check that a path does not concatenate a payload's parts.

/** Runs `fn` (awaiting it) and returns how many times Buffer.concat was called meanwhile. */
export async function countConcats(fn: () => unknown): Promise<number> {
  const saved = Object.getOwnPropertyDescriptor(Buffer, 'concat');
  const original: typeof Buffer.concat = Buffer.concat.bind(Buffer);
  let calls = 0;
  Buffer.concat = (list, totalLength) => {
    calls++;
    return original(list, totalLength);
  };
  try {
    await fn();
  } finally {
    if (saved !== undefined) Object.defineProperty(Buffer, 'concat', saved);
  }
  return calls;
}
