// A real OTLP/gRPC peer for client and exporter tests: a @grpc/grpc-js server with pass-through
// (Buffer) serializers for the trace/metrics/logs Export methods, whose answers a test scripts
// (OK, any status with or without RetryInfo, a delay), recording what it received.
import * as grpc from '@grpc/grpc-js';
import { encodeStatusDetails } from '../../src/transport/grpc-status-details.ts';

/** What the server answers to one request. */
export interface ScriptedAnswer {
  code?: number;
  message?: string;
  retryAfterMs?: number;
  /** Wait this long before answering (for deadline tests). */
  delayMs?: number;
  /** Response message bytes for OK (default: empty Export*ServiceResponse). */
  response?: Buffer;
}

export interface ReceivedCall {
  path: string;
  bytes: Buffer;
  metadata: Record<string, string>;
}

export const OTLP_PATHS = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
} as const;

const identity = (b: Buffer): Buffer => b;

function definition(path: string): grpc.ServiceDefinition {
  return {
    Export: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

/** A scripted OTLP/gRPC server on 127.0.0.1. */
export class OtlpGrpcServer {
  readonly server = new grpc.Server();
  readonly calls: ReceivedCall[] = [];
  /** Answers for the next calls, in order; when empty, `fallback` answers. */
  readonly script: ScriptedAnswer[] = [];
  fallback: ScriptedAnswer = {};
  port = 0;
  private waiters: { n: number; resolve: () => void }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor() {
    for (const path of Object.values(OTLP_PATHS)) {
      this.server.addService(definition(path), {
        Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
          this.handle(path, call, cb);
        },
      });
    }
  }

  /** Binds 127.0.0.1:`port` (0 = any) plaintext, or with the given TLS key and certificate. */
  async start(port = 0, tls?: { key: Buffer; cert: Buffer }): Promise<number> {
    const creds = tls
      ? grpc.ServerCredentials.createSsl(null, [{ private_key: tls.key, cert_chain: tls.cert }], false)
      : grpc.ServerCredentials.createInsecure();
    this.port = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(`127.0.0.1:${port}`, creds, (err, p) => {
        if (err) reject(err);
        else resolve(p);
      });
    });
    return this.port;
  }

  /** Resolves once `n` calls in total have arrived. */
  waitForCalls(n: number): Promise<void> {
    if (this.calls.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.forceShutdown();
    return Promise.resolve();
  }

  private handle(path: string, call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>): void {
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(call.metadata.getMap())) metadata[k] = String(v);
    this.calls.push({ path, bytes: call.request, metadata });
    this.waiters = this.waiters.filter((w) => (this.calls.length >= w.n ? (w.resolve(), false) : true));
    const answer = this.script.shift() ?? this.fallback;
    const reply = (): void => {
      this.reply(answer, cb);
    };
    if (answer.delayMs === undefined) {
      reply();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      reply();
    }, answer.delayMs);
    this.timers.add(t);
  }

  private reply(answer: ScriptedAnswer, cb: grpc.sendUnaryData<Buffer>): void {
    const code = answer.code ?? 0;
    if (code === 0) {
      cb(null, answer.response ?? Buffer.alloc(0));
      return;
    }
    const metadata = new grpc.Metadata();
    if (answer.retryAfterMs !== undefined) {
      metadata.set('grpc-status-details-bin', encodeStatusDetails(code, answer.message ?? '', answer.retryAfterMs));
    }
    cb({ code: code as unknown as grpc.status, details: answer.message ?? '', metadata });
  }
}
