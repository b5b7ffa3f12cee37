// Bucket bounds of an exponential histogram data point (base 2^(2^-scale)), in the order Go's debug
// exporter prints them: negative buckets from the most negative, then positive ones ascending.
import type { PMessage } from '../../../pdata/decode.ts';
import { int, msg, num } from './text-values.ts';

export interface Bucket {
  readonly lower: number;
  readonly upper: number;
  readonly count: string;
}

/** Both bucket ranges with |lower|, |upper| bounds, as Go computes them (math.Exp(index × ln2 × 2^-scale)). */
export function exponentialBuckets(p: PMessage): { negative: Bucket[]; positive: Bucket[] } {
  const factor = Math.LN2 * 2 ** -num(p.scale);
  const range = (side: PMessage, reverse: boolean): Bucket[] => {
    const counts = Array.isArray(side.bucketCounts) ? (side.bucketCounts as string[]) : [];
    const offset = num(side.offset);
    const out = counts.map((c, pos) => ({
      lower: Math.exp((offset + pos) * factor),
      upper: Math.exp((offset + pos + 1) * factor),
      count: int(c),
    }));
    return reverse ? out.reverse() : out;
  };
  return { negative: range(msg(p.negative), true), positive: range(msg(p.positive), false) };
}
