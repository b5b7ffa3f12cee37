// grpc-go — the Go collector's own transport — as the next hop of an exporter: builds go-sink/main.go
// against Debian's golang-google-grpc-dev (/usr/share/gocode, GOPATH mode, no network) once per source
// version, starts it on 127.0.0.1, and collects what it reports for each message it received.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, startTelegate, type TelegateProcess } from './telegate-process.ts';

const SOURCE_DIR = new URL('./go-sink/', import.meta.url).pathname;
/** Where Debian's golang-google-grpc-dev puts grpc-go. */
export const GOCODE = '/usr/share/gocode';

/** One message grpc-go received: decompressed length and sha256, its length on the wire, its grpc-encoding. */
export interface GoMessage {
  readonly length: number;
  readonly wireLength: number;
  /** The call's grpc-encoding as grpc-go read it ('' for none). */
  readonly encoding: string;
  readonly sha256: string;
}

/** A running grpc-go sink. */
export interface GoSink {
  readonly port: number;
  readonly messages: GoMessage[];
  readonly errors: string[];
  /** Resolves once `n` messages have arrived. */
  waitForMessages(n: number): Promise<void>;
  /** Resolves once `n` errors have been reported. */
  waitForErrors(n: number): Promise<void>;
  stop(): void;
}

/** Builds the sink (cached by the source's hash) and returns the binary's path. */
export function buildGoSink(): string {
  const source = readFileSync(join(SOURCE_DIR, 'main.go'));
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'telegate-go-sink');
  const binary = join(dir, `go-sink-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const built = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: SOURCE_DIR,
    encoding: 'utf8',
    env: { ...process.env, GO111MODULE: 'off', GOPATH: GOCODE, GOCACHE: join(dir, 'cache'), GOFLAGS: '' },
  });
  if (built.error !== undefined || built.status !== 0) {
    throw new Error(
      `could not build the grpc-go sink (needs Debian's golang-go, golang-google-grpc-dev, golang-github-klauspost-compress-dev and golang-github-golang-snappy-dev): ${built.error?.message ?? built.stderr}`,
    );
  }
  return binary;
}

/** `input` compressed by the go-sink program's `mode` (a tool mode: stdin to stdout). */
function goCompress(mode: 'gzip' | 'zstd' | 'snappy' | 'snappy-block', input: Buffer): Buffer {
  const run = spawnSync(buildGoSink(), [mode], { input, maxBuffer: 64 * 1024 * 1024 });
  if (run.error !== undefined || run.status !== 0) throw new Error(`go-sink ${mode} failed: ${String(run.stderr)}`);
  return run.stdout;
}

/** `input` gzipped by Go's compress/gzip at its default level: what a Go edge (grpc-go's gzip) sends. */
export const goGzip = (input: Buffer): Buffer => goCompress('gzip', input);

/** `input` zstd-compressed as the Go collector's gRPC zstd compressor does it (klauspost/compress). */
export const goZstd = (input: Buffer): Buffer => goCompress('zstd', input);

/** `input` snappy-compressed as the Go collector's gRPC snappy compressor does it (golang/snappy, framed). */
export const goSnappyFramed = (input: Buffer): Buffer => goCompress('snappy', input);

/** `input` as one snappy block (golang/snappy), what Go's confighttp sends as `Content-Encoding: snappy`. */
export const goSnappyBlock = (input: Buffer): Buffer => goCompress('snappy-block', input);

/**
 * Starts the sink and resolves once it listens. `singleMember`: gzip is read as a one-member reader reads it
 * (bytes after the first member are an error), instead of by grpc-go's own decompressor.
 */
export async function startGoSink(options: { singleMember?: boolean } = {}): Promise<GoSink> {
  const args = options.singleMember === true ? ['-single-member'] : [];
  const child: ChildProcess = spawn(buildGoSink(), args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const messages: GoMessage[] = [];
  const errors: string[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  let errorWaiters: { n: number; resolve: () => void }[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`the grpc-go sink exited with ${String(code)}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const event = JSON.parse(line) as { event: string; port?: number; message?: string } & GoMessage;
      if (event.event === 'ready') resolve(event.port ?? 0);
      else if (event.event === 'error') {
        errors.push(event.message ?? '');
        const due = errorWaiters.filter((w) => errors.length >= w.n);
        errorWaiters = errorWaiters.filter((w) => errors.length < w.n);
        for (const w of due) w.resolve();
      } else if (event.event === 'message') {
        messages.push({
          length: event.length,
          wireLength: event.wireLength,
          encoding: event.encoding,
          sha256: event.sha256,
        });
        const due = waiters.filter((w) => messages.length >= w.n);
        waiters = waiters.filter((w) => messages.length < w.n);
        for (const w of due) w.resolve();
      }
    });
  });
  return {
    port,
    messages,
    errors,
    waitForMessages: (n) =>
      messages.length >= n
        ? Promise.resolve()
        : new Promise((resolve) => {
            waiters.push({ n, resolve });
          }),
    waitForErrors: (n) =>
      errors.length >= n
        ? Promise.resolve()
        : new Promise((resolve) => {
            errorWaiters.push({ n, resolve });
          }),
    stop: () => {
      child.stdin?.end();
      child.kill('SIGKILL');
    },
  };
}

/** A telegate gateway started in front of a grpc-go sink, and its receiver's ports. */
export interface GatewayToGo {
  readonly proc: TelegateProcess;
  readonly port: number;
  readonly httpPort: number;
}

/**
 * Starts telegate as a gateway in front of `sink`: the otlp receiver (gRPC and HTTP on free loopback ports) →
 * `processors` (a list of `batch`, with send_batch_size `batchSize` and a 30 s timeout, and `resource`, which
 * upserts deployment.environment) → the otlp exporter to the sink with `exporter` settings added.
 */
export async function startGatewayToGo(
  sink: GoSink,
  batchSize: number,
  processors: string,
  exporter = '',
): Promise<GatewayToGo> {
  const [port, httpPort] = [await freePort(), await freePort()];
  const proc = await startTelegate(`
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${port} }
      http: { endpoint: 127.0.0.1:${httpPort} }
processors:
  batch: { send_batch_size: ${batchSize}, timeout: 30s }
  resource: { attributes: [{ key: deployment.environment, value: e2e, action: upsert }] }
exporters:
  otlp: { endpoint: 127.0.0.1:${sink.port}, tls: { insecure: true }${exporter === '' ? '' : `, ${exporter}`} }
service:
  telemetry: { metrics: { level: none } }
  pipelines:
    traces: { receivers: [otlp], processors: [${processors}], exporters: [otlp] }
`);
  return { proc, port, httpPort };
}
