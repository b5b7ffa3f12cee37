// A TCP proxy for partition tests: forwards bytes between a client and one upstream, and on demand
// stalls the link as a network partition does — no byte moves either way, no socket is closed or reset
// (a reset would tell both ends at once; a stall tells them nothing) — until it heals, when what was
// held back flows again as TCP would deliver it once the path is back.
import { connect, createServer, type Server, type Socket } from 'node:net';

/** One proxied connection: the accepted socket and its upstream twin. */
interface Link {
  readonly down: Socket;
  readonly up: Socket;
}

/** Proxies 127.0.0.1:<port> to 127.0.0.1:<upstreamPort>; `stall()` / `heal()` the partition. */
export class StallProxy {
  private readonly upstreamPort: number;
  private readonly server: Server;
  private readonly links = new Set<Link>();
  private stalled = false;
  /** Connections accepted since start (a client that reconnects shows up here). */
  accepted = 0;
  /** The port it listens on, once started. */
  port = 0;

  constructor(upstreamPort: number) {
    this.upstreamPort = upstreamPort;
    this.server = createServer((down) => {
      this.accept(down);
    });
  }

  /** Listens on 127.0.0.1:`port` (0 = any) and returns the port. */
  async start(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    const a = this.server.address();
    this.port = typeof a === 'object' && a !== null ? a.port : 0;
    return this.port;
  }

  /** Stops moving bytes on every link, present and future; sockets stay open. */
  stall(): void {
    this.stalled = true;
    for (const l of this.links) {
      l.down.pause();
      l.up.pause();
    }
  }

  /** Moves bytes again; what each side wrote during the stall is delivered now, in order. */
  heal(): void {
    this.stalled = false;
    for (const l of this.links) {
      l.down.resume();
      l.up.resume();
    }
  }

  /** Closes the listener and every link. */
  async stop(): Promise<void> {
    for (const l of this.links) {
      l.down.destroy();
      l.up.destroy();
    }
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(down: Socket): void {
    this.accepted++;
    const up = connect(this.upstreamPort, '127.0.0.1');
    const link = { down, up };
    this.links.add(link);
    forward(down, up, () => this.stalled);
    forward(up, down, () => this.stalled);
    const close = (): void => {
      this.links.delete(link);
      down.destroy();
      up.destroy();
    };
    down.on('close', close).on('error', close);
    up.on('close', close).on('error', close);
    if (this.stalled) {
      down.pause();
      up.pause();
    }
  }
}

/** Copies `from` into `to` with back-pressure; a stalled link is never resumed by a drain. */
function forward(from: Socket, to: Socket, isStalled: () => boolean): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => {
    if (!isStalled()) from.resume();
  });
  from.on('end', () => {
    to.end();
  });
}
