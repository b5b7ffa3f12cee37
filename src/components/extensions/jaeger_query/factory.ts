// The `jaeger_query` extension factory (Jaeger v2's name): serves the Jaeger HTTP query API and the
// web UI on one endpoint, reading the jaeger_storage backend named by storage.traces.
// The UI is a hook: createJaegerQueryFactory({ serveUi }) serves every GET outside /api/ with it.
import type { Component, CreateSettings, ExtensionFactory, Host } from '../../../contracts/component.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { queryApiHandler, type UiHandler } from '../../../backend/api/query-api.ts';
import { serveUi } from '../../../backend/ui/serve-ui.ts';
import { findTraceStore } from '../../../backend/store/storage-extension.ts';
import { HttpServer } from '../../../transport/http-server.ts';
import { corsOptionsOf } from '../../../config/blocks/http-server.ts';
import { parseEndpoint, type ListenTarget } from '../../../transport/http-server-listen.ts';
import { resolveAuthenticator } from '../../authhelper/resolve-authenticator.ts';
import { withQueryAuth } from './query-auth.ts';
import { loadServerTls } from '../../../transport/http-server-tls.ts';
import {
  JaegerQueryConfigSchema,
  jaegerQueryEndpoints,
  queryLimitsOf,
  validateJaegerQueryConfig,
  type JaegerQueryConfig,
} from './config.ts';

/** A running query endpoint. */
export class JaegerQuery implements Component {
  private readonly settings: CreateSettings;
  private readonly config: JaegerQueryConfig;
  private readonly ui: UiHandler | undefined;
  private server: HttpServer | undefined;
  /** The bound address (`127.0.0.1:16686`), once started. */
  address = '';

  constructor(settings: CreateSettings, config: JaegerQueryConfig, ui: UiHandler | undefined) {
    this.settings = settings;
    this.config = config;
    this.ui = ui;
  }

  async start(host: Host): Promise<void> {
    const owner = `extensions.${this.settings.id.id}`;
    const cfg = this.config;
    const store = findTraceStore(host, owner, 'storage.traces', cfg.storage.traces);
    const target = parseEndpoint(cfg.http.endpoint, cfg.http.transport);
    if (typeof target === 'string') throw new TelegateError('TG_START_FAILED', `${owner}: ${target}`);
    const logger = this.settings.logger;
    const archiveName = cfg.storage.traces_archive;
    const archive =
      archiveName === undefined ? undefined : findTraceStore(host, owner, 'storage.traces_archive', archiveName);
    const api = queryApiHandler({
      store,
      archive,
      ui: this.ui,
      basePath: cfg.base_path === '/' ? '' : cfg.base_path,
      limits: queryLimitsOf(cfg),
      logger,
      telemetry: this.settings.telemetry,
    });
    const authId = cfg.http.auth?.authenticator;
    const authenticator =
      authId === undefined
        ? undefined
        : resolveAuthenticator(host, authId, `${owner}.http.auth.authenticator`, 'server');
    const served = authenticator === undefined ? api : withQueryAuth(authenticator, authId ?? '', logger, api);
    const cors = cfg.http.cors;
    this.server = new HttpServer({
      owner,
      target,
      tls: cfg.http.tls === undefined ? undefined : loadServerTls(cfg.http.tls, `${owner}: http`, logger),
      cors: corsOptionsOf(cors),
      readHeaderTimeoutMs: cfg.http.read_header_timeout,
      readTimeoutMs: cfg.http.read_timeout,
      handler: cfg.ui.log_access
        ? async (req, res) => {
            const t0 = performance.now();
            await served(req, res);
            logger.debug('Query request', {
              method: req.method,
              url: req.url,
              status: res.statusCode,
              ms: Math.round(performance.now() - t0),
            });
          }
        : served,
      logger,
    });
    this.address = await this.server.start();
    if (authenticator === undefined && isExposed(target)) {
      logger.warn(
        `The Jaeger query API and UI at ${this.address} answer anyone who can reach it: every stored trace can be read. Set http.auth.authenticator (basicauth, bearertokenauth) or bind to localhost.`,
        { endpoint: this.address },
      );
    }
    const scheme = cfg.http.tls === undefined ? 'http' : 'https';
    logger.info(
      `Jaeger query API and UI at ${scheme}://${browsable(this.address)}${cfg.base_path === '/' ? '/' : `${cfg.base_path}/`}`,
      {
        endpoint: this.address,
        storage: cfg.storage.traces,
      },
    );
  }

  async shutdown(): Promise<void> {
    await this.server?.shutdown();
  }
}

/** True when the endpoint listens beyond loopback (a unix socket is local). */
export function isExposed(target: ListenTarget): boolean {
  if (target.kind === 'unix') return false;
  const host = target.host;
  return host === undefined || !(host === '::1' || host.startsWith('127.'));
}

/** A bound address a browser can open: every-interface binds are shown as localhost. */
export function browsable(address: string): string {
  return address.replace(/^(0\.0\.0\.0|\[::\]):/, 'localhost:');
}

/** Options of the factory: the UI handler the lead wires in. */
export interface JaegerQueryFactoryOptions {
  readonly serveUi?: UiHandler;
}

/** The `jaeger_query` factory, serving `serveUi` for non-API paths when given. */
export function createJaegerQueryFactory(opts: JaegerQueryFactoryOptions = {}): ExtensionFactory<JaegerQueryConfig> {
  return {
    kind: 'extension',
    type: 'jaeger_query',
    stability: { extension: 'alpha' },
    description: 'Jaeger query: the Jaeger HTTP API (v1 JSON and /api/v3) and the web UI on one endpoint (16686).',
    configSchema: JaegerQueryConfigSchema,
    validate: validateJaegerQueryConfig,
    endpoints: jaegerQueryEndpoints,
    create: (settings, config) => new JaegerQuery(settings, config, opts.serveUi),
  };
}

/** `extensions: jaeger_query:`, with the web UI built into dist/ui. */
export const jaegerQueryFactory: ExtensionFactory<JaegerQueryConfig> = createJaegerQueryFactory({ serveUi });
