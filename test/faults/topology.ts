// The processes of a fault test — client → edge → [stall proxy] → gateway → sink — configured with the
// delivery settings `telegate k8s render` writes (src/k8s/edge-queue.ts, src/k8s/gateway-config.ts), so
// the tests exercise what a cluster runs. Only waits are shortened (retry intervals; attempt timeouts,
// divided by five and still nested as rendered: the edge's outlasts the gateway's slowest answer) to keep
// each test bounded; they change when data moves, never whether it is kept.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { edgeQueue, EDGE_STORAGE } from '../../src/k8s/edge-queue.ts';
import { GATEWAY_DELIVERY } from '../../src/k8s/gateway-config.ts';
import { OtlpGrpcServer, type ReceivedCall } from '../helpers/otlp-grpc-server.ts';
import { freePort, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';
import { TraceClient } from './fault-helpers.ts';
import { StallProxy } from './stall-proxy.ts';
import { SteadyLoad } from './steady-load.ts';

/** How the gateway keeps what it acknowledged: on its own disk, or nowhere (answered end to end). */
export type GatewayMode = 'persistent' | 'end-to-end';

/** Retry waits short enough for a test; `max_elapsed_time: 0` (never give up) as rendered. */
const FAST_RETRY = { initial_interval: '50ms', max_interval: '200ms', max_elapsed_time: 0 };

/** The rendered persistent queue (edge-queue.ts) in `dir`, with test-sized waits. */
function persistentExporter(endpoint: number, dir: string, extra: Record<string, unknown> = {}) {
  const queue = edgeQueue();
  return {
    extensions: { [EDGE_STORAGE]: { directory: dir, create_directory: true } },
    exporter: {
      endpoint: `127.0.0.1:${endpoint}`,
      tls: { insecure: true },
      ...queue.exporter,
      timeout: '2s',
      retry_on_failure: FAST_RETRY,
      ...extra,
    },
  };
}

/** A one-pipeline collector config (JSON is YAML, so the rendered objects go in as they are). */
function collectorConfig(p: {
  receiver: number;
  metrics: number;
  exporter: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}): string {
  const extensions = p.extensions ?? {};
  return JSON.stringify({
    extensions,
    receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${p.receiver}` } } } },
    exporters: { otlp: p.exporter },
    service: {
      extensions: Object.keys(extensions),
      telemetry: { metrics: { address: `127.0.0.1:${p.metrics}` } },
      pipelines: { traces: { receivers: ['otlp'], exporters: ['otlp'] } },
    },
  });
}

/** Ports, directories and live processes of one test; `cleanup` ends them all (by PID). */
export class Topology {
  readonly ports = { edge: 0, edgeMetrics: 0, gateway: 0, gatewayMetrics: 0, sink: 0 };
  readonly edgeDir = mkdtempSync(join(tmpdir(), 'telegate-fault-edge-'));
  readonly gatewayDir = mkdtempSync(join(tmpdir(), 'telegate-fault-gateway-'));
  /** Every incarnation of the sink, so a restarted one adds to what the first received. */
  readonly sinks: OtlpGrpcServer[] = [];
  proxy: StallProxy | undefined;
  private readonly processes: TelegateProcess[] = [];
  private readonly loads: { client: TraceClient; load: SteadyLoad }[] = [];

  static async create(): Promise<Topology> {
    const t = new Topology();
    for (const key of Object.keys(t.ports) as (keyof Topology['ports'])[]) t.ports[key] = await freePort();
    return t;
  }

  /** Everything the sink received, over all its incarnations. */
  get sinkCalls(): ReceivedCall[] {
    return this.sinks.flatMap((s) => s.calls);
  }

  /** Starts (or restarts) the sink on its port. */
  async startSink(): Promise<OtlpGrpcServer> {
    const sink = new OtlpGrpcServer();
    this.sinks.push(sink);
    await sink.start(this.ports.sink);
    return sink;
  }

  /** Stops the live sink: its port refuses connections until `startSink`. */
  async stopSink(): Promise<void> {
    await this.sinks.at(-1)?.stop();
  }

  /** A proxy in front of the gateway; the edge started after this sends through it. */
  async startProxy(): Promise<StallProxy> {
    this.proxy = new StallProxy(this.ports.gateway);
    await this.proxy.start();
    return this.proxy;
  }

  /** The gateway in `mode`, exporting to the sink (same settings as the rendered manifests). */
  gateway(mode: GatewayMode): Promise<TelegateProcess> {
    const sink = `127.0.0.1:${this.ports.sink}`;
    const p = { receiver: this.ports.gateway, metrics: this.ports.gatewayMetrics };
    if (mode === 'end-to-end')
      return this.start(
        collectorConfig({
          ...p,
          exporter: { endpoint: sink, tls: { insecure: true }, ...GATEWAY_DELIVERY, timeout: '1s' },
        }),
      );
    return this.start(collectorConfig({ ...p, ...persistentExporter(this.ports.sink, this.gatewayDir) }));
  }

  /** The edge with its rendered persistent queue, sending to the gateway (through the proxy if any). */
  edge(extra: Record<string, unknown> = {}): Promise<TelegateProcess> {
    const next = this.proxy?.port ?? this.ports.gateway;
    const p = { receiver: this.ports.edge, metrics: this.ports.edgeMetrics };
    return this.start(collectorConfig({ ...p, ...persistentExporter(next, this.edgeDir, extra) }));
  }

  /** Steady load on the edge (stopped by `cleanup` too, so a failed test does not keep sending). */
  steadyLoad(opts: ConstructorParameters<typeof SteadyLoad>[1] = {}): SteadyLoad {
    const client = new TraceClient(this.ports.edge);
    const load = new SteadyLoad(client, opts);
    this.loads.push({ client, load });
    return load;
  }

  async cleanup(): Promise<void> {
    for (const { client, load } of this.loads) {
      await load.stop();
      client.close();
    }
    for (const p of this.processes) await p.stop('SIGKILL');
    for (const s of this.sinks) await s.stop();
    await this.proxy?.stop();
  }

  private async start(yaml: string): Promise<TelegateProcess> {
    const p = await startTelegate(yaml);
    this.processes.push(p);
    return p;
  }
}
