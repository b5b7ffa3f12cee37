// "Did you mean" for misspelled keys, component types and ids: optimal string alignment distance
// (Damerau–Levenshtein with adjacent transpositions) of at most 2, or a prefix match.

/** The closest candidate to `word`, or undefined when none is close enough. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    const d = c === lower ? 0 : isPrefixMatch(lower, c) ? 1 : editDistance(lower, c);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= maxDistance(word) ? best : undefined;
}

// Short words allow fewer edits: two edits turn any two-letter word into any other.
function maxDistance(word: string): number {
  if (word.length <= 2) return 0;
  return word.length <= 4 ? 1 : 2;
}

function isPrefixMatch(a: string, b: string): boolean {
  return a.length >= 3 && b.length >= 3 && (a.startsWith(b) || b.startsWith(a));
}

/** Optimal string alignment distance between two strings. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}

/** ` (did you mean \`x\`?)` or the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : `; did you mean \`${match}\`?`;
}

/** A short list for a hint: `a, b, c` or `a, b, c, … (12 in all)`. */
export function listSome(values: readonly string[], max = 8): string {
  const sorted = [...values].sort();
  if (sorted.length <= max) return sorted.join(', ');
  return `${sorted.slice(0, max).join(', ')}, … (${sorted.length} in all)`;
}
