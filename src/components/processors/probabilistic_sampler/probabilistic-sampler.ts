// Hot path: see bench/micro/probabilistic-sampler.bench.ts.
// The `probabilistic_sampler` processor (traces): judges every span of a request by its trace id
// (fast-decision.ts for the common case, span-decision.ts for spans with tracestate or
// sampling.priority) and forwards only the kept spans, on the bytes (span-filter.ts). A request with
// no span left is not forwarded and answers success, as Go's ErrSkipProcessingData does.
import type { Component, Logger, Telemetry } from '../../../contracts/component.ts';
import { SUCCESS, type ConsumeResult, type Consumer } from '../../../contracts/consumer.ts';
import type { Payload } from '../../../contracts/payload.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { errorMessage } from '../../../errors/thrown.ts';
import type { ProbabilisticSamplerConfig } from './config.ts';
import { FastDecision } from './fast-decision.ts';
import { makeSampler, type Sampler } from './sampler.ts';
import { SamplerMetrics } from './sampler-metrics.ts';
import { PRIORITY_DEFER, decideSpan, type Policy } from './span-decision.ts';
import { filterSpans, type SpanVerdict } from './span-filter.ts';
import { SpanScan } from './span-scan.ts';

/** The sampler of one traces pipeline. */
export class ProbabilisticSamplerProcessor implements Component, Consumer {
  private readonly sampler: Sampler;
  private readonly failClosed: boolean;
  private readonly fast: FastDecision;
  private readonly fastPolicy: Policy;
  private readonly next: Consumer;
  private readonly logger: Logger;
  private readonly metrics: SamplerMetrics;
  private readonly span = new SpanScan();
  private readonly judge = (buf: Buffer, start: number, end: number): SpanVerdict => this.judgeSpan(buf, start, end);

  constructor(config: ProbabilisticSamplerConfig, next: Consumer, logger: Logger, telemetry: Telemetry, id: string) {
    this.sampler = makeSampler(config);
    this.failClosed = config.fail_closed;
    this.fast = new FastDecision(this.sampler);
    this.fastPolicy = FAST_POLICY[this.sampler.kind];
    this.next = next;
    this.logger = logger;
    this.metrics = new SamplerMetrics(telemetry, id);
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  consume(payload: Payload): Promise<ConsumeResult> {
    let filtered;
    try {
      filtered = filterSpans(payload.bytes, this.judge);
    } catch (err) {
      // Receivers validate requests, so this is a bug upstream or corrupted data: refuse it for good.
      const error = new TelegateError('TG_OTLP_MALFORMED', `probabilistic_sampler: ${errorMessage(err)}`, {
        cause: err,
      });
      return Promise.resolve({ status: 'failure', error });
    } finally {
      this.metrics.flush();
    }
    if (filtered.kept === 0) return Promise.resolve(SUCCESS);
    if (filtered.bytes === payload.bytes) return this.next.consume(payload);
    return this.next.consume({
      signal: payload.signal,
      bytes: filtered.bytes,
      items: filtered.kept,
      context: payload.context,
    });
  }

  private judgeSpan(buf: Buffer, start: number, end: number): SpanVerdict {
    const s = this.span;
    s.scan(buf, start, end);
    if (s.traceStateStart === s.traceStateEnd && s.priority === PRIORITY_DEFER && s.traceIdStart >= 0) {
      const kept = this.fast.isKept(buf, s.traceIdStart);
      this.metrics.count(this.fastPolicy, kept);
      return kept ? this.fast.keptTraceStateValue() : false;
    }
    const traceState = buf.toString('latin1', s.traceStateStart, s.traceStateEnd);
    const d = decideSpan(this.sampler, this.failClosed, {
      buf,
      traceIdStart: s.traceIdStart,
      traceState,
      priority: s.priority,
    });
    this.metrics.count(d.policy, d.sampled);
    if (d.error !== undefined && this.logger.isDebugEnabled()) this.logger.debug('traces sampler', { error: d.error });
    if (!d.sampled) return false;
    return d.traceState === undefined ? true : Buffer.from(d.traceState, 'latin1');
  }
}

/** The policy of the fast path's spans, by sampler (Go's randomness method names). */
const FAST_POLICY: Record<Sampler['kind'], Policy> = {
  never: 'sampling_priority',
  hash_seed: 'trace_id_hash',
  equalizing: 'trace_id_w3c',
  proportional: 'trace_id_w3c',
};
