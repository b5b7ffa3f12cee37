// The running collector: builds the graph, starts it in dependency order (extensions → exporters →
// processors → receivers), and shuts it down in reverse so that receivers stop taking data first and
// everything in flight drains through the exporters within a deadline.
import type { Component, Host, Logger, Telemetry } from '../contracts/component.ts';
import { TelegateError } from '../errors/catalogue.ts';
import type { GraphSpec } from './graph-spec.ts';
import { buildGraph, type Graph, type Node } from './graph.ts';
import { errorMessage, toError } from '../errors/thrown.ts';
import { LifecycleNotifier } from './lifecycle-notifier.ts';

export interface ServiceOptions {
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  /** Bound on the whole shutdown; what is still in flight after it is reported, not awaited. */
  readonly shutdownTimeoutMs?: number;
}

const DEFAULT_SHUTDOWN_MS = 15_000;

function describe(node: Node): string {
  const section = `${node.kind}s`;
  return node.scope === undefined ? `${section}.${node.id}` : `${section}.${node.id} (${node.scope})`;
}

/** Runs with a deadline; resolves `false` when the deadline passed first. */
async function withDeadline(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(
      () => {
        resolve(false);
      },
      Math.max(0, ms),
    );
    timer.unref();
  });
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One collector instance. `start` and `shutdown` are each called once; shutdown is idempotent. */
export class Service {
  private readonly logger: Logger;
  private readonly graph: Graph;
  private readonly host: Host;
  private readonly shutdownTimeoutMs: number;
  private readonly notifier: LifecycleNotifier;
  private started: Node[] = [];
  private stopping: Promise<void> | undefined;

  constructor(spec: GraphSpec, options: ServiceOptions) {
    this.logger = options.logger;
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_MS;
    this.notifier = new LifecycleNotifier(options.logger);
    this.graph = buildGraph(spec, {
      ...options,
      reportStatus: (instance, status, error) => {
        this.notifier.status(instance, status, error);
      },
    });
    this.notifier.watch(this.graph.extensions.map((n) => n.component));
    const extensions = new Map<string, Component>(this.graph.extensions.map((n) => [n.id, n.component]));
    this.host = { getExtension: (id) => extensions.get(id) };
  }

  /** Starts everything; on a failure stops what had started and throws a TG_START_FAILED error. */
  async start(): Promise<void> {
    const order = [
      ...this.graph.extensions,
      ...this.graph.exporters,
      ...this.graph.processors,
      ...this.graph.receivers,
    ];
    for (const node of order) {
      try {
        this.notifier.status(node, 'starting');
        await node.component.start(this.host);
        this.started.push(node);
        this.notifier.status(node, 'ok');
      } catch (err) {
        this.notifier.status(node, 'permanent_error', toError(err));
        await this.shutdown();
        if (err instanceof TelegateError) throw err;
        const reason = errorMessage(err);
        throw new TelegateError('TG_START_FAILED', `${describe(node)} failed to start: ${reason}`, { cause: err });
      }
    }
    this.notifier.ready();
    this.logger.info('Everything is ready. Begin running and processing data.');
  }

  /** Stops receivers first, then processors, exporters and extensions, within the deadline. */
  shutdown(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    const deadline = Date.now() + this.shutdownTimeoutMs;
    this.notifier.stopping();
    // Exactly the reverse of the start order: receivers, then each pipeline's processors from the
    // first to the last (each flushes into a next one that is still running), exporters, extensions.
    const order = this.started.reverse();
    this.started = [];
    await this.stopStage(order, deadline);
  }

  private async stopStage(nodes: readonly Node[], deadline: number): Promise<void> {
    for (const node of nodes) {
      this.notifier.status(node, 'stopping');
      const ok = await withDeadline(
        node.component.shutdown().catch((err: unknown) => {
          this.logger.error(`${describe(node)} failed to shut down cleanly`, { error: err });
        }),
        deadline - Date.now(),
      );
      if (!ok)
        this.logger.warn(`${describe(node)} did not finish shutting down before the deadline`, {
          timeout_ms: this.shutdownTimeoutMs,
        });
      this.notifier.status(node, 'stopped');
    }
  }
}
