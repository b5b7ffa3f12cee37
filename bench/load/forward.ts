// A "forward" reference middle (perf-lab.md §3 fwdh2): raw node:http2 receive → forward the framed body
// unchanged over a raw node:http2 client → pass the sink's status back. No decode, no batching: the floor
// of what any Node gateway on this machine can cost per span, measured in the same run as telegate.
// Usage: node --import tsx bench/load/forward.ts --sink 127.0.0.1:PORT [--port 0]; stdin: "stop".
import http2 from 'node:http2';
import { CONNECTION_WINDOW, H2_SETTINGS, exportRequestHeaders } from './grpc-h2.ts';
import { emit, numberArg, onCommands, parseArgs } from './control.ts';

const args = parseArgs(process.argv.slice(2));
const sink = args.get('sink') ?? '127.0.0.1:4318';
const upstreams: http2.ClientHttp2Session[] = [];
const UPSTREAM_SESSIONS = 4;
let nextUpstream = 0;

function upstream(): http2.ClientHttp2Session {
  const i = nextUpstream++ % UPSTREAM_SESSIONS;
  const s = upstreams[i];
  if (s !== undefined && !s.closed && !s.destroyed) return s;
  const session = http2.connect(`http://${sink}`, { settings: H2_SETTINGS, maxSessionMemory: 1024 });
  session.on('connect', () => {
    session.setLocalWindowSize(CONNECTION_WINDOW);
  });
  session.on('error', () => undefined);
  upstreams[i] = session;
  return session;
}

function fail(stream: http2.ServerHttp2Stream, message: string): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond(
    { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '14', 'grpc-message': message },
    { endStream: true },
  );
}

function onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
  const out = upstream().request({
    ...exportRequestHeaders(sink),
    ...(headers['grpc-encoding'] ? { 'grpc-encoding': String(headers['grpc-encoding']) } : {}),
  });
  stream.on('error', () => {
    out.close(http2.constants.NGHTTP2_CANCEL);
  });
  out.on('error', (err) => {
    fail(stream, err.message);
  });
  stream.pipe(out);
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  out.on('response', (h) => {
    if (h['grpc-status'] !== undefined) fail(stream, String(h['grpc-message'] ?? 'upstream error'));
  });
  out.on('trailers', (t) => {
    if (stream.destroyed || stream.headersSent) return;
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => {
      stream.sendTrailers({ 'grpc-status': String(t['grpc-status'] ?? '2') });
    });
    stream.end(Buffer.concat(chunks));
  });
}

function main(): void {
  const server = http2.createServer({ settings: H2_SETTINGS, maxSessionMemory: 1024 });
  server.on('session', (session) => {
    session.on('error', () => undefined);
    session.setLocalWindowSize(CONNECTION_WINDOW);
  });
  server.on('stream', onStream);
  const stop = (): void => process.exit(0);
  onCommands((command) => {
    if (command === 'stop') stop();
  }, stop);
  setTimeout(stop, numberArg(args, 'max-seconds', 600) * 1000).unref();
  server.listen(numberArg(args, 'port', 0), '127.0.0.1', () => {
    const address = server.address();
    emit('ready', { port: typeof address === 'object' && address !== null ? address.port : 0, pid: process.pid });
  });
}

main();
