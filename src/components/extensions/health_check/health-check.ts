// The `health_check` extension: an HTTP endpoint answering 200 once every pipeline has started, 503
// before that and from the moment shutdown begins (so a load balancer stops sending first), and 500
// while check_collector_pipeline sees too many exporter failures. It learns all of that through the
// service's lifecycle hooks (contracts: LifecycleWatcher).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Component, CreateSettings, LifecycleWatcher, StatusEvent } from '../../../contracts/component.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { HttpServer } from '../../../transport/http-server.ts';
import { corsOptionsOf } from '../../../config/blocks/http-server.ts';
import { parseEndpoint } from '../../../transport/http-server-listen.ts';
import { loadServerTls } from '../../../transport/http-server-tls.ts';
import type { HealthCheckConfig } from './config.ts';
import { HealthState } from './health-state.ts';
import { statusDocument } from './status-document.ts';

/** Go's http.ServeMux matching: a pattern ending in `/` matches its whole subtree, others exactly. */
export function pathMatches(pattern: string, url: string | undefined): boolean {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return pattern.endsWith('/') ? path.startsWith(pattern) : path === pattern;
}

/** A running health endpoint. */
export class HealthCheck implements Component, LifecycleWatcher {
  private readonly settings: CreateSettings;
  private readonly config: HealthCheckConfig;
  private readonly state: HealthState;
  private server: HttpServer | undefined;
  /** The bound address (`127.0.0.1:13133`), once started. */
  address = '';

  constructor(settings: CreateSettings, config: HealthCheckConfig) {
    this.settings = settings;
    this.config = config;
    const check = config.check_collector_pipeline;
    this.state = new HealthState(
      check.enabled ? { intervalMs: check.interval, threshold: check.exporter_failure_threshold } : undefined,
    );
  }

  async start(): Promise<void> {
    const owner = `extensions.${this.settings.id.id}`;
    const cfg = this.config;
    const target = parseEndpoint(cfg.endpoint, cfg.transport);
    if (typeof target === 'string') throw new TelegateError('TG_START_FAILED', `${owner}: ${target}`);
    const logger = this.settings.logger;
    this.server = new HttpServer({
      owner,
      target,
      tls: cfg.tls === undefined ? undefined : loadServerTls(cfg.tls, owner, logger),
      cors: corsOptionsOf(cfg.cors),
      readHeaderTimeoutMs: cfg.read_header_timeout,
      readTimeoutMs: cfg.read_timeout,
      handler: (req, res) => {
        this.answer(req, res);
        return Promise.resolve();
      },
      logger,
    });
    this.address = await this.server.start();
    logger.info('Health check endpoint started', { endpoint: this.address, path: cfg.path });
  }

  async shutdown(): Promise<void> {
    this.state.readiness = 'stopping';
    await this.server?.shutdown();
  }

  pipelinesReady(): void {
    this.state.readiness = 'ready';
    this.state.readyAtMs = Date.now();
    this.settings.logger.info('Health Check state change', { status: 'ready' });
  }

  pipelinesStopping(): void {
    this.state.readiness = 'stopping';
    this.settings.logger.info('Health Check state change', { status: 'unavailable' });
  }

  componentStatusChanged(event: StatusEvent): void {
    this.state.record(event);
  }

  /** The status code and body for a probe now. */
  private answer(req: IncomingMessage, res: ServerResponse): void {
    if (!pathMatches(this.config.path, req.url)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    const now = Date.now();
    const ready = this.state.readiness === 'ready';
    const failing = this.state.isPipelineFailing(now);
    const code = !ready ? 503 : failing ? 500 : 200;
    const custom = this.config.response_body;
    if (custom !== undefined) {
      res.writeHead(code, { 'content-type': 'text/plain' }).end(code === 200 ? custom.healthy : custom.unhealthy);
      return;
    }
    const body = JSON.stringify(statusDocument(this.state, now, code === 200));
    res.writeHead(code, { 'content-type': 'application/json' }).end(body);
  }
}
