// Serves the self-metrics registry at http://<address>/metrics in the Prometheus text format, and
// registers the process metrics the Go collector exposes (otelcol_process_*).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TelegateError } from '../../errors/catalogue.ts';
import { formatHostPort, parseHostPort } from '../../util/host-port.ts';
import type { MetricsRegistry } from './metrics-registry.ts';

/** Registers process metrics read at scrape time. */
export function registerProcessMetrics(registry: MetricsRegistry): void {
  const started = Date.now();
  registry.observe(
    'otelcol_process_uptime',
    'Uptime of the process in seconds',
    {},
    () => (Date.now() - started) / 1000,
  );
  registry.observe('otelcol_process_memory_rss', 'Total physical memory (resident set size) in bytes', {}, () =>
    process.memoryUsage.rss(),
  );
  registry.observe(
    'otelcol_process_runtime_heap_alloc_bytes',
    'Bytes of allocated heap objects',
    {},
    () => process.memoryUsage().heapUsed,
  );
  registry.observe('otelcol_process_cpu_seconds', 'Total CPU user and system time in seconds', {}, () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  });
}

/** The /metrics endpoint. */
export class MetricsServer {
  private readonly registry: MetricsRegistry;
  private readonly address: string;
  private server: Server | undefined;

  constructor(registry: MetricsRegistry, address: string) {
    this.registry = registry;
    this.address = address;
  }

  /** Binds; a busy port is a TG_START_FAILED naming the config key. Returns the bound address. */
  async start(): Promise<string> {
    const { host, port } = parseHostPort(this.address);
    const server = createServer((req, res) => {
      if (req.url !== '/metrics' && !req.url?.startsWith('/metrics?')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at /metrics\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(this.registry.render());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        const why = err.code === 'EADDRINUSE' ? 'address already in use' : err.message;
        reject(
          new TelegateError(
            'TG_START_FAILED',
            `service.telemetry.metrics.address: cannot listen on ${this.address}: ${why}`,
            { cause: err },
          ),
        );
      });
      server.listen(port, host, resolve);
    });
    this.server = server;
    const a = server.address() as AddressInfo;
    return formatHostPort(a.address, a.port);
  }

  async shutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }
}
