// Shared pieces of the fault tests: an OTLP/gRPC trace client (grpc-js, pass-through bytes), requests
// whose spans carry unique names so the sink can tell lost from duplicated, the edge and gateway
// configs, and reading a telegate process's self-metrics.
import * as grpc from '@grpc/grpc-js';
import { decodeRequest } from '../helpers/otlp-proto.ts';
import { OTLP_PATHS, type ReceivedCall } from '../helpers/otlp-grpc-server.ts';
import { sid, tid, traceRequest } from '../helpers/traces.ts';

const identity = (b: Buffer): Buffer => b;

/** Sends ExportTraceServiceRequests to one endpoint. */
export class TraceClient {
  private readonly client: grpc.Client;

  constructor(port: number) {
    this.client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }

  /** Resolves with the gRPC status code (0 = accepted). */
  send(bytes: Buffer, timeoutMs = 5000): Promise<number> {
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(
        OTLP_PATHS.traces,
        identity,
        identity,
        bytes,
        { deadline: Date.now() + timeoutMs },
        (err) => {
          resolve(err ? err.code : 0);
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

/** Request number `n`: `spans` spans named `r<n>-s<i>`. */
export function numberedRequest(n: number, spans = 10): Buffer {
  return traceRequest(
    Array.from({ length: spans }, (_, i) => ({ traceId: tid(n + 1), spanId: sid(i + 1), name: `r${n}-s${i}` })),
  );
}

/** The span names of received calls, with how many times each arrived. */
export function spanCounts(calls: readonly ReceivedCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of calls) {
    const req = decodeRequest('traces', call.bytes);
    for (const rs of req.resourceSpans ?? [])
      for (const ss of rs.scopeSpans ?? [])
        for (const s of ss.spans ?? []) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  }
  return counts;
}

/** The edge: OTLP in, OTLP out to the gateway through a persistent queue that never gives up. */
export function edgeConfig(p: { receiver: number; gateway: number; metrics: number; dir: string }): string {
  return `
extensions:
  file_storage/queue: { directory: ${p.dir}, create_directory: true }
receivers:
  otlp: { protocols: { grpc: { endpoint: 127.0.0.1:${p.receiver} } } }
exporters:
  otlp:
    endpoint: 127.0.0.1:${p.gateway}
    tls: { insecure: true }
    timeout: 2s
    retry_on_failure: { initial_interval: 50ms, max_interval: 200ms, max_elapsed_time: 0 }
    sending_queue: { storage: file_storage/queue, num_consumers: 4, queue_size: 100000 }
service:
  extensions: [file_storage/queue]
  telemetry: { metrics: { address: 127.0.0.1:${p.metrics} } }
  pipelines: { traces: { receivers: [otlp], exporters: [otlp] } }
`;
}

/**
 * The gateway: a stateless hop in end-to-end mode — wait_for_result with batching in the queue: each
 * request is answered with its batch's outcome at the sink — so killing it loses nothing the edge was told.
 */
export function gatewayConfig(p: { receiver: number; sink: number; metrics: number }): string {
  return `
receivers:
  otlp: { protocols: { grpc: { endpoint: 127.0.0.1:${p.receiver} } } }
exporters:
  otlp:
    endpoint: 127.0.0.1:${p.sink}
    tls: { insecure: true }
    # Its slowest answer (flush + attempt) within the edge's 2 s attempt, nested as the rendered ones.
    timeout: 1s
    retry_on_failure: { enabled: false }
    sending_queue: { wait_for_result: true, batch: { flush_timeout: 20ms, min_size: 100 } }
service:
  telemetry: { metrics: { address: 127.0.0.1:${p.metrics} } }
  pipelines: { traces: { receivers: [otlp], exporters: [otlp] } }
`;
}

/** The sum of a counter or gauge's samples whose labels include `label`, from /metrics. */
export async function metricValue(port: number, name: string, label = 'exporter="otlp"'): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!line.includes(label)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Polls `check` until it holds (each fault test bounds itself with a test timeout). */
export async function until(check: () => boolean | Promise<boolean>, pollMs = 50): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, pollMs));
}
