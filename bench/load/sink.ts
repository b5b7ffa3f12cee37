// The load benchmark's sink: a raw node:http2 gRPC server that accepts OTLP trace Export calls, counts
// requests, bytes and spans (gzip and zstd bodies are inflated to count; both count as "gzip" requests, i.e.
// compressed), and answers an empty response.
// Usage: node --import tsx bench/load/sink.ts [--port 0] [--max-seconds 600]; stdin: "snap" | "stop" |
// "pause <ms>" (a stalled backend: requests are read but answered only once the pause ends).
import http2 from 'node:http2';
import { gunzipSync } from 'node:zlib';
import { unframeUnary } from '../../src/transport/grpc-framing.ts';
import { countSpans } from './span-count.ts';
import { zstdCodec } from '../../src/transport/zstd.ts';
import { CONNECTION_WINDOW, EMPTY_RESPONSE_FRAME, H2_SETTINGS, TRACE_EXPORT_PATH } from './grpc-h2.ts';
import { cpuSeconds, emit, numberArg, onCommands, parseArgs } from './control.ts';
import { errorMessage } from '../../src/errors/thrown.ts';

const MAX_MESSAGE = 256 * 1024 * 1024;

const counts = { requests: 0, spans: 0, bytes: 0, gzipRequests: 0, errors: 0 };
/** While paused, answers wait here; "pause <ms>" sets it, its end answers them all. */
let held: (() => void)[] | undefined;

function pause(ms: number): void {
  held ??= [];
  setTimeout(() => {
    const answers = held ?? [];
    held = undefined;
    for (const a of answers) a();
    emit('resumed', { answered: answers.length });
  }, ms);
  emit('paused', { ms });
}

function answer(stream: http2.ServerHttp2Stream, status: number, message: string): void {
  if (stream.destroyed || stream.headersSent) return;
  if (status !== 0) {
    counts.errors++;
    stream.respond(
      { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(status), 'grpc-message': message },
      { endStream: true },
    );
    return;
  }
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => {
    stream.sendTrailers({ 'grpc-status': '0' });
  });
  stream.end(EMPTY_RESPONSE_FRAME);
}

/** Counts one complete request body; returns a gRPC status code and message. */
async function receive(body: Buffer, encoding: string | undefined): Promise<[number, string]> {
  const frame = unframeUnary(body, MAX_MESSAGE);
  if (!frame.ok) return [3, `bad frame: ${frame.error}`];
  let message = frame.message;
  if (frame.compressed) {
    const zstd = encoding === 'zstd' ? zstdCodec() : undefined;
    if (encoding !== 'gzip' && zstd === undefined) return [12, `unsupported grpc-encoding ${encoding ?? '(none)'}`];
    message = zstd === undefined ? gunzipSync(message) : await zstd.decompress(message, MAX_MESSAGE);
    counts.gzipRequests++;
  }
  try {
    counts.spans += countSpans(message);
  } catch (err) {
    return [3, `malformed request: ${errorMessage(err)}`];
  }
  counts.requests++;
  counts.bytes += body.length;
  return [0, ''];
}

function onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
  stream.on('error', () => {
    counts.errors++;
  });
  if (headers[':path'] !== TRACE_EXPORT_PATH) {
    answer(stream, 12, `unknown method ${String(headers[':path'])}`);
    return;
  }
  const encoding = headers['grpc-encoding'];
  const chunks: Buffer[] = [];
  let length = 0;
  stream.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.length;
  });
  stream.on('end', () => {
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
    void receive(body, typeof encoding === 'string' ? encoding : undefined).then(([status, message]) => {
      if (held !== undefined)
        held.push(() => {
          answer(stream, status, message);
        });
      else answer(stream, status, message);
    });
  });
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const server = http2.createServer({ settings: H2_SETTINGS, maxSessionMemory: 1024 });
  server.on('session', (session) => {
    session.on('error', () => undefined);
    session.setLocalWindowSize(CONNECTION_WINDOW);
  });
  server.on('stream', onStream);
  const stop = (): void => {
    emit('final', { ...counts, cpu: cpuSeconds() });
    process.exit(0);
  };
  setTimeout(stop, numberArg(args, 'max-seconds', 600) * 1000).unref();
  onCommands((command) => {
    if (command === 'snap') emit('snap', { ...counts, cpu: cpuSeconds() });
    else if (command === 'stop') stop();
    else if (command.startsWith('pause ')) pause(Number(command.slice(6)));
  }, stop);
  server.listen(numberArg(args, 'port', 0), '127.0.0.1', () => {
    const address = server.address();
    emit('ready', { port: typeof address === 'object' && address !== null ? address.port : 0, pid: process.pid });
  });
}

main();
