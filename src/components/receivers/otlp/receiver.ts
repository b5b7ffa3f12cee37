// The `otlp` receiver: one instance per id serving every signal it has a consumer for, on a gRPC
// server (node:http2) and/or an HTTP server (node:http), as Go's otlpreceiver does. A protocol with
// `auth` asks its server authenticator (an extension found at start) about every request first.
import type { Component, CreateSettings, Host, Logger, ReceiverConsumers } from '../../../contracts/component.ts';
import { SIGNALS, type Signal } from '../../../contracts/signal.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { GrpcStatus } from '../../../errors/grpc-status.ts';
import { DEFAULT_KEEPALIVE, type KeepaliveOptions } from '../../../transport/grpc-server-keepalive.ts';
import { ByteBudget, type BodyBudget } from '../../../transport/byte-budget.ts';
import { GrpcServer } from '../../../transport/grpc-server.ts';
import { parseEndpoint, type ListenTarget } from '../../../transport/http-server-listen.ts';
import { loadServerTls } from '../../../transport/http-server-tls.ts';
import { HttpServer } from '../../../transport/http-server.ts';
import { corsOptionsOf } from '../../../config/blocks/http-server.ts';
import { normalizeUrlPath, type OtlpGrpcConfig, type OtlpHttpConfig, type OtlpReceiverConfig } from './config.ts';
import { AuthGate } from './auth-gate.ts';
import { resolveAuthenticator } from '../../authhelper/resolve-authenticator.ts';
import {
  bindAdmissionRefused,
  bindAuthCounters,
  bindBackpressureWaits,
  bindItemCounters,
  bindRequestCounters,
  observeAdmission,
  type RequestCounters,
  type Transport,
} from './counters.ts';
import { credentialHeaderNames } from './credential-headers.ts';
import { SignalExport } from './export.ts';
import { otlpGrpcAdmit, otlpGrpcMethods } from './grpc-service.ts';
import { Backpressure, BACKPRESSURE_RETRY_AFTER_MS } from './backpressure.ts';
import { withHttpAuth } from './http-auth.ts';
import { otlpHttpHandler } from './http-handler.ts';
import { exportMethodPath } from './signals.ts';

const MIB = 1024 * 1024;

/** A protocol's authentication: the gate and the headers it keeps out of metadata. */
interface Auth {
  readonly gate: AuthGate;
  readonly credentialHeaders: ReadonlySet<string>;
}

/** The OTLP receiver component. */
export class OtlpReceiver implements Component {
  private readonly owner: string;
  private readonly settings: CreateSettings;
  private readonly logger: Logger;
  private readonly config: OtlpReceiverConfig;
  private readonly grpcExports = new Map<Signal, SignalExport>();
  private readonly httpExports = new Map<Signal, SignalExport>();
  private readonly grpcRequests: RequestCounters;
  private readonly httpRequests: RequestCounters;
  private grpc: GrpcServer | undefined;
  private http: HttpServer | undefined;
  private readonly gates: AuthGate[] = [];
  /** Request bytes held across both protocols and all connections; undefined when request_limit_mib is 0. */
  private readonly budget: ByteBudget | undefined;
  private stopping: Promise<void> | undefined;

  constructor(settings: CreateSettings, config: OtlpReceiverConfig, next: ReceiverConsumers) {
    this.owner = `receivers.${settings.id.id}`;
    this.settings = settings;
    this.logger = settings.logger;
    this.config = config;
    const id = settings.id.id;
    this.grpcRequests = bindRequestCounters(settings.telemetry, id, 'grpc');
    this.httpRequests = bindRequestCounters(settings.telemetry, id, 'http');
    const { request_limit_mib: limitMiB, waiting_limit_mib: waitingMiB } = config.admission;
    if (limitMiB > 0) {
      this.budget = new ByteBudget(limitMiB * MIB, waitingMiB * MIB);
      observeAdmission(settings.telemetry, id, this.budget);
    }
    for (const signal of SIGNALS) {
      const consumer = next[signal];
      if (consumer === undefined) continue;
      for (const transport of ['grpc', 'http'] as const satisfies readonly Transport[]) {
        const items = bindItemCounters(settings.telemetry, id, transport, signal);
        const requests = transport === 'grpc' ? this.grpcRequests : this.httpRequests;
        const exports = transport === 'grpc' ? this.grpcExports : this.httpExports;
        exports.set(signal, new SignalExport(signal, consumer, items, requests, this.logger, transport));
      }
    }
  }

  /** Binds the configured protocols; on failure nothing stays bound. */
  async start(host: Host): Promise<void> {
    if (this.stopping !== undefined) return;
    const { grpc, http } = this.config.protocols;
    // Both authenticators are resolved before anything binds: a wrong id leaves no port open.
    const grpcAuth = this.authGate(host, grpc?.auth, 'grpc');
    const httpAuth = this.authGate(host, http?.auth, 'http');
    this.warnUnbounded();
    try {
      if (grpc !== undefined) await this.startGrpc(grpc, grpcAuth);
      if (http !== undefined) await this.startHttp(http, httpAuth);
    } catch (err) {
      await this.shutdown();
      throw err;
    }
  }

  /** Stops taking requests, drains those in flight, closes. Idempotent, safe before start. */
  shutdown(): Promise<void> {
    this.stopping ??= Promise.all([this.grpc?.shutdown(), this.http?.shutdown()]).then(() => {
      for (const gate of this.gates) gate.close();
    });
    return this.stopping;
  }

  // Both are valid (Go's defaults even) but let one client hold unbounded memory; said once at start.
  private warnUnbounded(): void {
    if (this.config.protocols.grpc?.max_concurrent_streams === 0)
      this.logger.warn('protocols.grpc.max_concurrent_streams is 0: a single connection may open any number of calls');
    if (this.budget === undefined)
      this.logger.warn('admission.request_limit_mib is 0: request bytes held in memory are bounded only per message');
  }

  private authGate(host: Host, auth: { authenticator: string } | undefined, transport: Transport): Auth | undefined {
    if (auth === undefined) return undefined;
    const id = auth.authenticator;
    const at = `${this.owner}.protocols.${transport}.auth.authenticator`;
    const authenticator = resolveAuthenticator(host, id, at, 'server');
    const counters = bindAuthCounters(this.settings.telemetry, this.settings.id.id, transport);
    const gate = new AuthGate(authenticator, id, counters, this.logger, transport);
    this.gates.push(gate);
    return { gate, credentialHeaders: credentialHeaderNames(authenticator) };
  }

  private async startGrpc(cfg: OtlpGrpcConfig, auth: Auth | undefined): Promise<void> {
    const backpressure = this.backpressure('grpc');
    const server = new GrpcServer({
      owner: this.owner,
      target: this.target(cfg.endpoint, cfg.transport),
      tls: cfg.tls === undefined ? undefined : loadServerTls(cfg.tls, `${this.owner}: protocols.grpc`, this.logger),
      methods: otlpGrpcMethods(
        this.grpcExports,
        cfg.include_metadata,
        auth?.credentialHeaders ?? credentialHeaderNames(),
        backpressure,
      ),
      authenticate: auth === undefined ? undefined : (headers, client) => auth.gate.check(headers, client),
      admit: otlpGrpcAdmit(this.grpcExports, backpressure),
      budget: this.bodyBudget('grpc'),
      readTimeoutMs: this.config.admission.body_timeout,
      maxRecvMsgBytes: (cfg.max_recv_msg_size_mib > 0 ? cfg.max_recv_msg_size_mib : 4) * MIB,
      maxConcurrentStreams: cfg.max_concurrent_streams,
      keepalive: keepaliveOf(cfg),
      logger: this.logger,
      onReject: (path, code, message) => {
        this.onGrpcReject(path, code, message);
      },
    });
    this.grpc = server;
    const endpoint = await server.start();
    this.logger.info('Starting GRPC server', { endpoint });
  }

  private async startHttp(cfg: OtlpHttpConfig, auth: Auth | undefined): Promise<void> {
    const routes = new Map<string, SignalExport>();
    const paths: Record<Signal, string> = {
      traces: cfg.traces_url_path,
      metrics: cfg.metrics_url_path,
      logs: cfg.logs_url_path,
    };
    for (const [signal, exp] of this.httpExports) routes.set(normalizeUrlPath(paths[signal]), exp);
    const handler = otlpHttpHandler({
      routes,
      maxBodyBytes: cfg.max_request_body_size > 0 ? cfg.max_request_body_size : 20 * MIB,
      compressionAlgorithms: cfg.compression_algorithms,
      includeMetadata: cfg.include_metadata,
      credentialHeaders: auth?.credentialHeaders ?? credentialHeaderNames(),
      requests: this.httpRequests,
      backpressure: this.backpressure('http'),
      budget: this.bodyBudget('http'),
    });
    const cors = cfg.cors;
    const server = new HttpServer({
      owner: this.owner,
      target: this.target(cfg.endpoint, cfg.transport),
      tls: cfg.tls === undefined ? undefined : loadServerTls(cfg.tls, `${this.owner}: protocols.http`, this.logger),
      cors: corsOptionsOf(cors),
      handler: auth === undefined ? handler : withHttpAuth(auth.gate, handler),
      readHeaderTimeoutMs: cfg.read_header_timeout,
      readTimeoutMs: cfg.read_timeout,
      logger: this.logger,
    });
    this.http = server;
    const endpoint = await server.start();
    this.logger.info('Starting HTTP server', { endpoint });
  }

  private backpressure(transport: Transport): Backpressure {
    const requests = transport === 'grpc' ? this.grpcRequests : this.httpRequests;
    const waits = bindBackpressureWaits(this.settings.telemetry, this.settings.id.id, transport);
    return new Backpressure(this.config.backpressure_timeout, requests, waits);
  }

  private bodyBudget(transport: Transport): BodyBudget | undefined {
    const budget = this.budget;
    if (budget === undefined) return undefined;
    const refused = bindAdmissionRefused(this.settings.telemetry, this.settings.id.id, transport);
    const requests = transport === 'grpc' ? this.grpcRequests : this.httpRequests;
    return {
      budget,
      maxWaitMs: this.config.backpressure_timeout,
      retryAfterMs: BACKPRESSURE_RETRY_AFTER_MS,
      onRefused: () => {
        refused.add(1);
        requests.refused.add(1);
      },
    };
  }

  private target(endpoint: string, transport: string): ListenTarget {
    const target = parseEndpoint(endpoint, transport);
    if (typeof target === 'string') throw new TelegateError('TG_START_FAILED', `${this.owner}: ${target}`);
    return target;
  }

  private onGrpcReject(path: string, code: number, message: string): void {
    // A client that left or a deadline that passed is not bad input.
    if (code !== GrpcStatus.CANCELLED && code !== GrpcStatus.DEADLINE_EXCEEDED) this.grpcRequests.invalid.add(1);
    if (this.logger.isDebugEnabled()) {
      const signal = SIGNALS.find((s) => exportMethodPath(s) === path);
      this.logger.debug('Refused a gRPC call', { transport: 'grpc', signal, path, code, reason: message });
    }
  }
}

function keepaliveOf(cfg: OtlpGrpcConfig): KeepaliveOptions {
  const sp = cfg.keepalive?.server_parameters;
  const ep = cfg.keepalive?.enforcement_policy;
  return {
    // Go treats zero as "use the default".
    timeMs: positive(sp?.time) ?? DEFAULT_KEEPALIVE.timeMs,
    timeoutMs: positive(sp?.timeout) ?? DEFAULT_KEEPALIVE.timeoutMs,
    maxIdleMs: sp?.max_connection_idle,
    maxAgeMs: sp?.max_connection_age,
    maxAgeGraceMs: sp?.max_connection_age_grace,
    minPingIntervalMs: positive(ep?.min_time) ?? DEFAULT_KEEPALIVE.minPingIntervalMs,
    permitWithoutStream: ep?.permit_without_stream ?? DEFAULT_KEEPALIVE.permitWithoutStream,
  };
}

function positive(ms: number | undefined): number | undefined {
  return ms !== undefined && ms > 0 ? ms : undefined;
}
