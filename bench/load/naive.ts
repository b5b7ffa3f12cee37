// The naive baseline (perf-lab.md §3 "naive"): what a straightforward Node collector does — a @grpc/grpc-js
// server that decodes every request into objects with protobufjs and re-encodes it before forwarding it
// with a grpc-js client. Given the same big windows as telegate (BIGWIN, NORETRY) so only the design differs.
// Usage: node --import tsx bench/load/naive.ts --sink 127.0.0.1:PORT [--port 0]; stdin: "stop".
// The seed gateway's counterpart (issue 15), by flags: --tls-cert/--tls-key serve TLS, --authorization
// 'Basic …' refuses calls whose Authorization header is not that string (a plain compare, no hash),
// --gzip-out forwards gzip-compressed (grpc-js's channel option, at its default zlib level). gzip-compressed
// requests are inflated by grpc-js itself. --default-windows keeps grpc-js's own HTTP/2 windows.
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type http2 from 'node:http2';
import { ExportTraceServiceRequest } from './otlp-types.ts';
import { CONNECTION_WINDOW, STREAM_WINDOW, TRACE_EXPORT_PATH } from './grpc-h2.ts';
import { emit, numberArg, onCommands, parseArgs } from './control.ts';
import { errorMessage } from '../../src/errors/thrown.ts';

const passThrough = (b: Buffer): Buffer => b;
const EMPTY = Buffer.alloc(0);
const MAX_MESSAGE = 256 * 1024 * 1024;

const exportMethod: grpc.MethodDefinition<Buffer, Buffer> = {
  path: TRACE_EXPORT_PATH,
  requestStream: false,
  responseStream: false,
  requestSerialize: passThrough,
  requestDeserialize: passThrough,
  responseSerialize: passThrough,
  responseDeserialize: passThrough,
};

const args = parseArgs(process.argv.slice(2));
const sink = args.get('sink') ?? '127.0.0.1:4318';
const bigWindows = !args.has('default-windows');
const client = new grpc.Client(sink, grpc.credentials.createInsecure(), {
  ...(bigWindows ? { 'grpc-node.flow_control_window': CONNECTION_WINDOW } : {}),
  'grpc.enable_retries': 0,
  'grpc.max_send_message_length': MAX_MESSAGE,
  'grpc.max_receive_message_length': MAX_MESSAGE,
  ...(args.has('gzip-out') ? { 'grpc.default_compression_algorithm': grpc.compressionAlgorithms.gzip } : {}),
});
const authorization = args.get('authorization');

/** The naive hot path: check the credentials, full decode, full encode, forward; the sink's status is passed back. */
function handleExport(call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>): void {
  if (authorization !== undefined && call.metadata.get('authorization')[0] !== authorization) {
    callback({ code: grpc.status.UNAUTHENTICATED, details: 'bad credentials' });
    return;
  }
  let encoded: Buffer;
  try {
    const decoded = ExportTraceServiceRequest.decode(call.request);
    const bytes = ExportTraceServiceRequest.encode(decoded).finish();
    encoded = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  } catch (err) {
    callback({ code: grpc.status.INVALID_ARGUMENT, details: errorMessage(err) });
    return;
  }
  client.makeUnaryRequest(exportMethod.path, passThrough, passThrough, encoded, (err) => {
    if (err) callback({ code: err.code, details: err.details });
    else callback(null, EMPTY);
  });
}

/**
 * grpc-js has no server option for HTTP/2 windows; perf-lab's BIGWIN reached them through the private
 * `http2Servers` map. Best effort: without it the baseline only gets slower (perf-lab: 17.8 vs 13.5 CPU-s/M).
 */
function widenServerWindows(server: grpc.Server): boolean {
  const servers = (server as unknown as { http2Servers?: Map<http2.Http2Server, unknown> }).http2Servers;
  if (!(servers instanceof Map)) return false;
  for (const h2 of servers.keys()) {
    h2.on('session', (session: http2.ServerHttp2Session) => {
      session.setLocalWindowSize(CONNECTION_WINDOW);
      session.settings({ initialWindowSize: STREAM_WINDOW });
    });
  }
  return servers.size > 0;
}

function serverCredentials(): grpc.ServerCredentials {
  const [cert, key] = [args.get('tls-cert'), args.get('tls-key')];
  if (cert === undefined || key === undefined) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(null, [{ cert_chain: readFileSync(cert), private_key: readFileSync(key) }]);
}

function main(): void {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE,
    'grpc.max_send_message_length': MAX_MESSAGE,
  });
  server.addService({ Export: exportMethod }, { Export: handleExport });
  const stop = (): void => {
    server.forceShutdown();
    client.close();
    process.exit(0);
  };
  onCommands((command) => {
    if (command === 'stop') stop();
  }, stop);
  setTimeout(stop, numberArg(args, 'max-seconds', 600) * 1000).unref();
  server.bindAsync(`127.0.0.1:${numberArg(args, 'port', 0)}`, serverCredentials(), (err, port) => {
    if (err) throw err;
    emit('ready', { port, pid: process.pid, bigWindows: bigWindows ? widenServerWindows(server) : 'default' });
  });
}

main();
