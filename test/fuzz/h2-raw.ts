// A raw HTTP/2 client for abuse tests (RFC 9113): writes frames by hand so it can do what a
// well-behaved client (node:http2, nghttp2) never does — open more streams than the server allows,
// reset streams as fast as it opens them — and records every frame the server sends back.
import net from 'node:net';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
/** Frame types and flags used here. */
export const FRAME = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7 } as const;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const ACK = 0x1;

/** One frame as the 9-byte header plus payload. */
export function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/** HPACK "literal header field without indexing, new name", no Huffman (RFC 7541 §6.2.2); short strings only. */
function literal(name: string, value: string): Buffer {
  const n = Buffer.from(name);
  const v = Buffer.from(value);
  return Buffer.concat([Buffer.from([0, n.length]), n, Buffer.from([v.length]), v]);
}

/** A HEADERS frame opening a gRPC call on `streamId`. */
export function grpcHeaders(streamId: number, path: string, endStream = false): Buffer {
  const block = Buffer.concat([
    literal(':method', 'POST'),
    literal(':scheme', 'http'),
    literal(':path', path),
    literal(':authority', 'localhost'),
    literal('content-type', 'application/grpc'),
    literal('te', 'trailers'),
  ]);
  return frame(FRAME.HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, block);
}

/** A DATA frame carrying `payload`. */
export function data(streamId: number, payload: Buffer, endStream: boolean): Buffer {
  return frame(FRAME.DATA, endStream ? END_STREAM : 0, streamId, payload);
}

/** RST_STREAM with `code` (8 = CANCEL). */
export function rstStream(streamId: number, code: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(code);
  return frame(FRAME.RST_STREAM, 0, streamId, p);
}

/** What the server sent on one connection. */
export class RawH2Connection {
  readonly socket: net.Socket;
  /** Streams the server answered with a HEADERS frame. */
  readonly answered = new Set<number>();
  /** RST_STREAM error code by stream. */
  readonly resets = new Map<number, number>();
  /** The GOAWAY error code, once one arrived. */
  goaway: number | undefined;
  closed = false;
  private buffered = Buffer.alloc(0);
  private readonly waiters = new Set<() => void>();

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.onData(chunk);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  /** Connects, sends the preface and an empty SETTINGS, and acknowledges the server's SETTINGS. */
  static async open(port: number): Promise<RawH2Connection> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const conn = new RawH2Connection(socket);
    socket.write(Buffer.concat([PREFACE, frame(FRAME.SETTINGS, 0, 0)]));
    return conn;
  }

  /** Resolves when `check` holds or the connection closed. */
  async until(check: () => boolean): Promise<void> {
    while (!check() && !this.closed) {
      await new Promise<void>((resolve) => {
        this.waiters.add(resolve);
      });
    }
  }

  write(bytes: Buffer): void {
    if (!this.closed) this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }

  private notify(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 9) {
      const length = this.buffered.readUIntBE(0, 3);
      if (this.buffered.length < 9 + length) break;
      this.onFrame(
        this.buffered[3] as number,
        this.buffered[4] as number,
        this.buffered.readUInt32BE(5) & 0x7fffffff,
        this.buffered.subarray(9, 9 + length),
      );
      this.buffered = this.buffered.subarray(9 + length);
    }
    this.notify();
  }

  private onFrame(type: number, flags: number, streamId: number, payload: Buffer): void {
    if (type === FRAME.SETTINGS && (flags & ACK) === 0) this.write(frame(FRAME.SETTINGS, ACK, 0));
    else if (type === FRAME.PING && (flags & ACK) === 0) this.write(frame(FRAME.PING, ACK, 0, payload));
    else if (type === FRAME.HEADERS) this.answered.add(streamId);
    else if (type === FRAME.RST_STREAM) this.resets.set(streamId, payload.readUInt32BE(0));
    else if (type === FRAME.GOAWAY) this.goaway = payload.readUInt32BE(4);
  }
}
