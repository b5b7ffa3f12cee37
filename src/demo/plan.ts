// What `telegate demo` runs: the seed's topology on one machine — two edge collectors standing for two
// clusters, a gateway with TLS and basic auth, the all-in-one backend — and the ports each one takes.

/** One simulated cluster: its edge collector, the user it authenticates as, and its ports. */
export interface EdgePlan {
  /** Process and config name, e.g. `edge-1`. */
  readonly name: string;
  readonly cluster: string;
  readonly zone: string;
  /** The basic-auth user the edge sends as (the gateway stamps it as the verified origin). */
  readonly user: string;
  readonly grpcPort: number;
  readonly httpPort: number;
  readonly metricsPort: number;
}

/** Every process of the demo and its ports (all on 127.0.0.1). */
export interface DemoPlan {
  readonly edges: readonly EdgePlan[];
  readonly gateway: { readonly port: number; readonly metricsPort: number };
  readonly backend: { readonly otlpPort: number; readonly uiPort: number; readonly metricsPort: number };
}

/** A port the plan takes, with what it is for (for the busy-port message). */
export interface PortUse {
  readonly port: number;
  readonly what: string;
}

/** The default ports; `--port-offset N` adds N to each, `--ui-port` sets the UI's alone. */
export function demoPlan(offset = 0, uiPort?: number): DemoPlan {
  const p = (n: number): number => n + offset;
  return {
    edges: [
      {
        name: 'edge-1',
        cluster: 'edge-cluster-1',
        zone: 'eu-west-1',
        user: 'edge-1',
        grpcPort: p(4317),
        httpPort: p(4318),
        metricsPort: p(8888),
      },
      {
        name: 'edge-2',
        cluster: 'edge-cluster-2',
        zone: 'us-east-1',
        user: 'edge-2',
        grpcPort: p(5317),
        httpPort: p(5318),
        metricsPort: p(8889),
      },
    ],
    gateway: { port: p(14317), metricsPort: p(8890) },
    backend: { otlpPort: p(24317), uiPort: uiPort ?? p(16686), metricsPort: p(8891) },
  };
}

/** Every port of the plan with its use, in start order. */
export function portsOf(plan: DemoPlan): PortUse[] {
  const b = plan.backend;
  const g = plan.gateway;
  return [
    { port: b.uiPort, what: 'backend UI and query API' },
    { port: b.otlpPort, what: 'backend OTLP/gRPC' },
    { port: b.metricsPort, what: 'backend self-metrics' },
    { port: g.port, what: 'gateway OTLP/gRPC (TLS + basic auth)' },
    { port: g.metricsPort, what: 'gateway self-metrics' },
    ...plan.edges.flatMap((e) => [
      { port: e.grpcPort, what: `${e.name} OTLP/gRPC` },
      { port: e.httpPort, what: `${e.name} OTLP/HTTP` },
      { port: e.metricsPort, what: `${e.name} self-metrics` },
    ]),
  ];
}
