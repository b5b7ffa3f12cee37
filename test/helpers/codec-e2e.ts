// The shared set-up of the compression end-to-end tests (zstd.test.ts, snappy.test.ts): a real otlp
// receiver (gRPC and HTTP, 1 MiB limits so that a bomb is far over them), a 200-span request, a round trip
// through an exporter compared byte for byte, and raw gRPC and HTTP calls with a given encoding.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:http2';
import { once } from 'node:events';
import { fromPlain } from '../../src/config/node.ts';
import { validateConfig } from '../../src/config/validate.ts';
import type { Component, ExporterFactory, ReceiverFactory } from '../../src/contracts/component.ts';
import type { Consumer } from '../../src/contracts/consumer.ts';
import type { OtlpReceiverConfig } from '../../src/components/receivers/otlp/config.ts';
import { otlpReceiverFactory } from '../../src/components/receivers/otlp/factory.ts';
import { frameMessage } from '../../src/transport/grpc-framing.ts';
import { MemoryTelemetry, RecordingConsumer, RecordingLogger, testHost, testSettings } from './fakes.ts';
import { encodeRequest } from './otlp-proto.ts';

const TRACES_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** `plain` validated against `factory`'s schema (no issues allowed). */
export function valid(factory: ReceiverFactory | ExporterFactory, plain: Record<string, unknown>, at: string): unknown {
  const r = validateConfig(factory.configSchema, fromPlain(plain, undefined), at, undefined);
  assert.deepEqual(r.issues, []);
  return r.value;
}

/** A 200-span traces request whose resource names `service`. */
export function codecRequest(service: string): Buffer {
  return encodeRequest('traces', {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            spans: Array.from({ length: 200 }, (_, i) => ({
              traceId: Buffer.alloc(16, 3),
              spanId: Buffer.alloc(8, i + 1),
              name: `span-${i % 7}`,
            })),
          },
        ],
      },
    ],
  });
}

/** The receiver the tests of one file share, started in `before` and stopped in `after`. */
export interface CodecReceiver {
  readonly request: Buffer;
  readonly grpcEndpoint: () => string;
  readonly httpEndpoint: () => string;
  /** Starts `exporter`, sends the request through it, and checks the receiver got it byte for byte. */
  readonly sendThrough: (exporter: Component & Consumer) => Promise<void>;
  /** One raw gRPC call with the message flagged compressed; its response (or trailers-only) headers. */
  readonly grpcCall: (message: Buffer, encoding: string) => Promise<Record<string, string>>;
  readonly httpPost: (body: Buffer, encoding: string) => Promise<Response>;
}

/** Registers the hooks of a codec test file; `available` asserts the codec is installed. */
export function codecReceiver(service: string, available: () => void): CodecReceiver {
  const request = codecRequest(service);
  const traces = new RecordingConsumer();
  const logger = new RecordingLogger();
  let receiver: Component | undefined;
  let grpc = '';
  let http = '';
  before(async () => {
    available();
    receiver = otlpReceiverFactory.create(
      testSettings('receiver', 'otlp', new MemoryTelemetry(), logger),
      valid(
        otlpReceiverFactory,
        {
          protocols: {
            grpc: { endpoint: '127.0.0.1:0', max_recv_msg_size_mib: 1 },
            http: { endpoint: '127.0.0.1:0', max_request_body_size: 1048576 },
          },
        },
        'receivers.otlp',
      ) as OtlpReceiverConfig,
      { traces },
    );
    await receiver.start(testHost());
    grpc = String(logger.lines.find((l) => l.msg === 'Starting GRPC server')?.fields['endpoint']);
    http = String(logger.lines.find((l) => l.msg === 'Starting HTTP server')?.fields['endpoint']);
  });
  after(async () => {
    await receiver?.shutdown();
  });
  return {
    request,
    grpcEndpoint: () => grpc,
    httpEndpoint: () => http,
    sendThrough: async (exporter) => {
      await exporter.start(testHost());
      const before = traces.items();
      assert.equal(
        (await exporter.consume({ signal: 'traces', bytes: request, items: 200, context: {} })).status,
        'success',
      );
      await traces.waitForItems(before + 200);
      await exporter.shutdown();
      assert.deepEqual(traces.payloads.at(-1)?.bytes, request);
    },
    grpcCall: (message, encoding) => rawGrpcExport(grpc, message, encoding),
    httpPost: (body, encoding) => rawHttpPost(http, body, encoding),
  };
}

/**
 * One raw unary trace Export call to `endpoint` (host:port) with `message` flagged compressed as `encoding`:
 * its response headers when they carry grpc-status (trailers-only), else its trailers.
 */
export async function rawGrpcExport(
  endpoint: string,
  message: Buffer,
  encoding: string,
): Promise<Record<string, string>> {
  const session = connect(`http://${endpoint}`);
  session.on('error', () => undefined);
  try {
    const stream = session.request({
      ':method': 'POST',
      ':path': TRACES_PATH,
      'content-type': 'application/grpc',
      'grpc-encoding': encoding,
      te: 'trailers',
    });
    stream.end(frameMessage(message, true));
    stream.resume();
    const [headers] = (await once(stream, 'response')) as [Record<string, string>];
    if (headers['grpc-status'] !== undefined) return headers;
    const [trailers] = (await once(stream, 'trailers')) as [Record<string, string>];
    return trailers;
  } finally {
    session.close();
  }
}

/** One OTLP/HTTP protobuf trace POST to `endpoint` (host:port) with `body` as Content-Encoding `encoding`. */
export function rawHttpPost(endpoint: string, body: Buffer, encoding: string): Promise<Response> {
  return fetch(`http://${endpoint}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': encoding },
    body,
  });
}
