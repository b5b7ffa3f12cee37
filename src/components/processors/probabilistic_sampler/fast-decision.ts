// Hot path: see bench/micro/probabilistic-sampler.bench.ts.
// The common case, decided without bigints or tracestate parsing: a span with a non-zero trace id, no
// tracestate and no `sampling.priority`. Its threshold is a constant, so the decision is a byte
// compare (consistent modes) or a bucket compare (hash_seed), and the tracestate a kept span gets is
// a constant (plus the hashed `rv` in hash_seed mode). span-decision.test.ts checks that this path
// and the general one (decideSpan) agree.
import { fnvHash, hashBucket, hashRandomnessHex } from './fnv-hash.ts';
import { decideThreshold, type Sampler } from './sampler.ts';
import { MAX_ADJUSTED_COUNT, tValueOf } from './threshold.ts';

/** Decides spans without tracestate or priority for one sampler. */
export class FastDecision {
  private readonly sampler: Sampler;
  /** Consistent modes: the threshold's 7 bytes, compared with the trace id's last 7; null: never. */
  private readonly thresholdBytes: Buffer | null;
  /** Consistent modes: the tracestate every kept span gets. */
  private readonly keptTraceState: Buffer;
  /** hash_seed mode: the `;th:…` suffix after the hashed `rv`. */
  private readonly hashSuffix: string;
  private lastHash = 0;

  constructor(sampler: Sampler) {
    this.sampler = sampler;
    const threshold = decideThreshold(sampler, undefined);
    this.thresholdBytes =
      threshold >= MAX_ADJUSTED_COUNT ? null : Buffer.from(threshold.toString(16).padStart(14, '0'), 'hex');
    this.keptTraceState = Buffer.from(`ot=th:${tValueOf(threshold)}`, 'latin1');
    this.hashSuffix = `;th:${tValueOf(threshold)}`;
  }

  /** Whether the span whose 16-byte trace id starts at `tid` is kept. */
  isKept(buf: Buffer, tid: number): boolean {
    const s = this.sampler;
    if (s.kind === 'hash_seed') {
      this.lastHash = fnvHash(s.seed, buf, tid, tid + 16);
      return hashBucket(this.lastHash) < s.scaledRate;
    }
    const t = this.thresholdBytes;
    if (s.kind === 'never' || t === null) return false;
    // threshold ≤ randomness, compared as 7 big-endian bytes (the trace id's bytes 9–15).
    for (let i = 0; i < 7; i++) {
      const r = buf[tid + 9 + i] as number;
      const b = t[i] as number;
      if (r !== b) return r > b;
    }
    return true;
  }

  /** The tracestate of the span `isKept` last accepted. */
  keptTraceStateValue(): Buffer {
    if (this.sampler.kind !== 'hash_seed') return this.keptTraceState;
    return Buffer.from(`ot=rv:${hashRandomnessHex(this.lastHash)}${this.hashSuffix}`, 'latin1');
  }
}
