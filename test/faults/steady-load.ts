// Steady load for fault tests: numbered requests (unique span names) sent one at a time with a pause
// between them, bounded in count, recording which the edge acknowledged; and the delivery report that
// compares those with what the sink received (lost vs duplicated) and the counts at each hop.
import { metricValue, numberedRequest, spanCounts, until, type TraceClient } from './fault-helpers.ts';
import type { ReceivedCall } from '../helpers/otlp-grpc-server.ts';

/** Spans per request of the load. */
export const SPANS = 10;

/** A request every `everyMs`, at most `maxRequests`, until stopped. */
export class SteadyLoad {
  /** Numbers of the requests answered OK (their spans are owed to the sink). */
  readonly acked: number[] = [];
  /** Numbers of the requests refused (not owed; counted to report). */
  readonly refused: number[] = [];
  private readonly client: TraceClient;
  private readonly everyMs: number;
  private readonly maxRequests: number;
  private next = 0;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(client: TraceClient, opts: { everyMs?: number; maxRequests?: number } = {}) {
    this.client = client;
    this.everyMs = opts.everyMs ?? 100;
    this.maxRequests = opts.maxRequests ?? 2000;
    this.loop = this.run();
  }

  /** Resolves once `count` more requests than now have been acknowledged. */
  async ackedMore(count: number): Promise<void> {
    const want = this.acked.length + count;
    await until(() => this.acked.length >= want || this.next >= this.maxRequests);
    if (this.acked.length < want) throw new Error(`the load ended with ${this.acked.length} of ${want} acknowledged`);
  }

  /** Stops after the request in flight and resolves when it is answered. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped && this.next < this.maxRequests) {
      const n = this.next++;
      const code = await this.client.send(numberedRequest(n, SPANS));
      (code === 0 ? this.acked : this.refused).push(n);
      await new Promise((r) => setTimeout(r, this.everyMs));
    }
  }
}

/** What the sink got of the acknowledged requests. */
export interface Delivery {
  /** Acknowledged spans the sink never received. */
  readonly missing: string[];
  /** Spans received more than once, counted once per extra copy. */
  readonly duplicates: number;
  readonly uniqueReceived: number;
}

/** Compares the acknowledged requests with the sink's calls. */
export function delivery(calls: readonly ReceivedCall[], acked: readonly number[]): Delivery {
  const counts = spanCounts(calls);
  const missing = acked.flatMap((n) =>
    Array.from({ length: SPANS }, (_, i) => `r${n}-s${i}`).filter((name) => !counts.has(name)),
  );
  let duplicates = 0;
  for (const c of counts.values()) duplicates += c - 1;
  return { missing, duplicates, uniqueReceived: counts.size };
}

/**
 * Waits until every span of the requests acknowledged so far reached the sink (a snapshot: under load
 * the newest are always on their way). The test's timeout bounds the wait.
 */
export async function allDelivered(calls: () => readonly ReceivedCall[], acked: readonly number[]): Promise<void> {
  const owed = [...acked];
  await until(() => delivery(calls(), owed).missing.length === 0, 200);
}

/** Spans counted at each hop, for the test's diagnostic (a process that is down reads as -1). */
export async function hopCounts(ports: { edgeMetrics: number; gatewayMetrics: number }): Promise<string> {
  const read = (port: number, name: string, label?: string): Promise<number> =>
    metricValue(port, name, label).catch(() => -1);
  const receiver = 'receiver="otlp"';
  const [edgeIn, edgeOut, gatewayIn, gatewayOut] = await Promise.all([
    read(ports.edgeMetrics, 'otelcol_receiver_accepted_spans_total', receiver),
    read(ports.edgeMetrics, 'otelcol_exporter_sent_spans_total'),
    read(ports.gatewayMetrics, 'otelcol_receiver_accepted_spans_total', receiver),
    read(ports.gatewayMetrics, 'otelcol_exporter_sent_spans_total'),
  ]);
  return `edge accepted ${edgeIn}, edge sent ${edgeOut}, gateway accepted ${gatewayIn}, gateway sent ${gatewayOut}`;
}
