// The watch client of one processor (Go: internal/kube/client.go WatchClient): one Reflector per
// resource the rules need, feeding the MetadataStore. At start it waits for the first list of each:
// a 403 fails the start with the missing RBAC rule and the ServiceAccount named; an unreachable API
// server does not (data flows untagged while the reflectors retry), and is logged once per change.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../../../contracts/component.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import type { KubeClientModule, ResourceSource } from './kube-api.ts';
import { formatRule } from './rbac.ts';
import { Reflector, type ReflectorSink, type ReflectorState, type ReflectorTimings } from './reflector.ts';

/** Where the reflectors' objects go: the MetadataStore, or a worker's messages to it. */
export interface StoreSink {
  replace(resource: string, items: readonly unknown[]): void;
  upsert(resource: string, o: unknown): void;
  remove(resource: string, o: unknown): void;
  /** Called every 30 s: forget pods deleted longer ago than the grace period. */
  expire(): void;
}

/** Starts and stops the reflectors of one processor. */
export class WatchClient {
  private readonly reflectors: Reflector[] = [];
  private readonly sources: readonly ResourceSource[];
  private readonly logger: Logger;
  private readonly healthy = new Map<string, boolean>();
  private deleteTimer: NodeJS.Timeout | undefined;
  private readonly store: StoreSink;

  constructor(
    mod: KubeClientModule,
    kc: KubeConfig,
    sources: readonly ResourceSource[],
    store: StoreSink,
    timings: ReflectorTimings,
    logger: Logger,
  ) {
    this.sources = sources;
    this.logger = logger;
    this.store = store;
    const watcher = new mod.Watch(kc);
    for (const s of sources) {
      const r = new Reflector(watcher, s, sinkFor(s.resource, store), timings, (st) => {
        this.onState(s, st);
      });
      this.reflectors.push(r);
    }
  }

  /**
   * Starts every reflector and waits for each first list for at most `waitMs` (pod tags are computed
   * on first use, so a ReplicaSet that arrives after its pods still names their Deployment). Throws on a 403; with `mustSync`, also when a list did not arrive in time.
   */
  async start(waitMs: number, mustSync: boolean): Promise<void> {
    this.deleteTimer = setInterval(() => {
      this.store.expire();
    }, 30_000);
    this.deleteTimer.unref();
    const firsts = this.reflectors.map((r) => r.start());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) =>
        (timer = setTimeout(() => {
          resolve('timeout');
        }, waitMs)),
    );
    const results = await Promise.race([Promise.all(firsts), timeout]);
    clearTimeout(timer);
    if (results === 'timeout') {
      if (mustSync) throw new TelegateError('TG_START_FAILED', 'k8sattributes: failed to wait for caches to sync');
      return;
    }
    results.forEach((err, i) => {
      if (statusOf(err) === 403) throw forbidden(this.sources[i] as ResourceSource, err);
    });
  }

  async stop(): Promise<void> {
    if (this.deleteTimer !== undefined) clearInterval(this.deleteTimer);
    await Promise.all(this.reflectors.map((r) => r.stop()));
  }

  // Logged once per change of state, never per retry.
  private onState(s: ResourceSource, st: ReflectorState): void {
    const was = this.healthy.get(s.resource);
    if (was === st.ok) return;
    this.healthy.set(s.resource, st.ok);
    if (st.ok) {
      if (was === false) this.logger.info('k8sattributes: Kubernetes API reachable again', { resource: s.resource });
      return;
    }
    this.logger.warn('k8sattributes: cannot list/watch; data passes untagged while retrying with backoff', {
      resource: s.resource,
      error: describe(st.error),
    });
  }
}

function sinkFor(resource: string, store: StoreSink): ReflectorSink {
  return {
    replace: (items) => {
      store.replace(resource, items);
    },
    upsert: (o) => {
      store.upsert(resource, o);
    },
    remove: (o) => {
      store.remove(resource, o);
    },
  };
}

/** The HTTP status of a client-node error (ApiException.code, or Watch's statusCode). */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown };
  if (typeof e.code === 'number') return e.code;
  return typeof e.statusCode === 'number' ? e.statusCode : undefined;
}

/** A short description of a failure, without stack or body dumps. */
export function describe(err: unknown): string {
  const status = statusOf(err);
  if (status !== undefined) return `HTTP ${status}`;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

// The API server names the user in its Status message: `User "system:serviceaccount:ns:name" cannot …`.
function forbidden(s: ResourceSource, err: unknown): TelegateError {
  const body = (err as { body?: unknown }).body;
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  const user = /User \\?"([^"\\]+)\\?"/.exec(text)?.[1];
  const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(user ?? '');
  const who = sa ? `ServiceAccount "${sa[2]}" in namespace "${sa[1]}"` : user ? `user "${user}"` : 'the ServiceAccount';
  return new TelegateError(
    'TG_START_FAILED',
    `k8sattributes: the Kubernetes API refused to list ${s.resource} (403 Forbidden): ${who} needs a ClusterRole rule { ${formatRule(s)} } bound to it`,
  );
}
