// The processor's self-metric, as Go's metadata.yaml names it: spans seen, by the `policy` that
// supplied their randomness and whether they were `sampled`. Counted per request, not per span.
import type { Counter, Telemetry } from '../../../contracts/component.ts';
import { POLICIES, type Policy } from './span-decision.ts';

const NAME = 'otelcol_processor_probabilistic_sampler_count_traces_sampled';
const HELP = 'Count of traces that were sampled or not';

/** Counters by (policy, sampled), bound once; `tally` collects a request's counts before adding them. */
export class SamplerMetrics {
  /** Index: policy index · 2 + (sampled ? 1 : 0). */
  readonly tally = new Uint32Array(POLICIES.length * 2);
  private readonly counters: Counter[];

  constructor(telemetry: Telemetry, processor: string) {
    this.counters = [];
    for (const policy of POLICIES)
      for (const sampled of ['false', 'true'])
        this.counters.push(telemetry.counter(NAME, HELP, { processor, policy, sampled }));
  }

  /** Counts one span. */
  count(policy: Policy, sampled: boolean): void {
    const i = POLICIES.indexOf(policy) * 2 + (sampled ? 1 : 0);
    this.tally[i] = (this.tally[i] as number) + 1;
  }

  /** Adds the request's tally to the counters and clears it. */
  flush(): void {
    for (let i = 0; i < this.tally.length; i++) {
      const n = this.tally[i] as number;
      if (n === 0) continue;
      this.counters[i]?.add(n);
      this.tally[i] = 0;
    }
  }
}
