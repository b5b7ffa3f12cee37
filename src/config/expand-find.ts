// Finds the next `${…}` reference to expand in a string, as Go's confmap findURI does: the first
// `}` closes the innermost `${` before it (so `${env:${env:X}}` expands the inner one first), and a
// `${` preceded by an odd number of `$` is escaped (`$${env:X}` stays literal text).

/** Offsets of a reference `${…}` (end exclusive). */
export interface Reference {
  readonly start: number;
  readonly end: number;
}

/**
 * The next reference in `text`, or undefined. Unlike Go (which stops at the first escaped
 * reference), the search continues after an escaped one, so `$${a} ${env:B}` still expands B.
 */
export function findReference(text: string): Reference | undefined {
  let from = 0;
  while (from < text.length) {
    const close = text.indexOf('}', from);
    if (close < 0) return undefined;
    const open = text.lastIndexOf('${', close);
    if (open >= from && !isEscaped(text, open)) return { start: open, end: close + 1 };
    from = close + 1;
  }
  return undefined;
}

function isEscaped(text: string, open: number): boolean {
  let count = 0;
  for (let i = open - 1; i >= 0 && text[i] === '$'; i--) count++;
  return count % 2 === 1;
}
