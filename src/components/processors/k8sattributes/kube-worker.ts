// The list+watch of one processor runs in a worker thread: @kubernetes/client-node holds ~28 MB of
// heap once imported (its generated models), and every full GC of the data path's thread costs in
// proportion to its live heap (bench/k8sattributes: main-thread heap 57 → 20 MB, see README "Cost").
// The worker posts slim objects; the MetadataStore stays on the data path's thread: lookups stay sync.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../../../contracts/component.ts';
import { TelegateError, type ErrorCode } from '../../../errors/catalogue.ts';
import { errorMessage } from '../../../errors/thrown.ts';
import type { K8sAttributesConfig } from './config.ts';
import { kubeConfigFor, loadKubeClient, sourcesFor } from './kube-api.ts';
import type { MetadataStore } from './metadata-store.ts';
import { rbacNeeds } from './rbac.ts';
import type { ReflectorTimings } from './reflector.ts';
import { compileRules } from './rules.ts';
import { slimObject } from './slim-object.ts';
import { WatchClient, type StoreSink } from './watch-client.ts';

/** What the worker is started with (structured-cloned). */
interface WorkerInput {
  readonly telegateK8sWatch: true;
  readonly config: K8sAttributesConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timings: ReflectorTimings;
  readonly waitMs: number;
  readonly mustSync: boolean;
  /** The ServiceAccount mount (auth_type serviceAccount). */
  readonly serviceAccountDir: string;
}

type Level = 'info' | 'warn';
/** Messages from the worker. */
type FromWorker =
  | { readonly t: 'store'; readonly op: 'replace'; readonly resource: string; readonly items: unknown[] }
  | { readonly t: 'store'; readonly op: 'upsert' | 'remove'; readonly resource: string; readonly o: unknown }
  | { readonly t: 'expire' }
  | { readonly t: 'log'; readonly level: Level; readonly msg: string; readonly fields: Record<string, unknown> }
  | { readonly t: 'started'; readonly error?: { readonly code: string; readonly message: string } }
  | { readonly t: 'stopped' };

const STOP_WAIT_MS = 5000;

/** The data path's side: starts the worker, applies what it posts to the store, stops it. */
export class WorkerWatchClient {
  private readonly worker: Worker;
  private readonly store: MetadataStore;
  private readonly logger: Logger;
  private readonly started: Promise<void>;
  private stoppedSignal: (() => void) | undefined;

  constructor(input: Omit<WorkerInput, 'telegateK8sWatch'>, store: MetadataStore, logger: Logger) {
    this.store = store;
    this.logger = logger;
    const data: WorkerInput = { ...input, telegateK8sWatch: true };
    // This very module (or the bundle chunk holding it) is the worker's entry: see the end of the file.
    this.worker = workerOf(import.meta.url, data);
    this.started = new Promise((resolve, reject) => {
      this.worker.on('message', (m: FromWorker) => {
        if (m.t !== 'started') this.onMessage(m);
        else if (m.error === undefined) resolve();
        else reject(new TelegateError(m.error.code as ErrorCode, m.error.message));
      });
      this.worker.on('error', (err) => {
        this.logger.error('k8sattributes: the list/watch worker failed', { error: err.message });
        reject(err);
      });
      this.worker.on('exit', () => {
        this.stoppedSignal?.();
        reject(new TelegateError('TG_START_FAILED', 'k8sattributes: the list/watch worker exited'));
      });
    });
  }

  /** Resolves once the worker's first lists arrived (or its wait ended); rejects as WatchClient.start. */
  start(): Promise<void> {
    return this.started;
  }

  async stop(): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      this.stoppedSignal = resolve;
      setTimeout(resolve, STOP_WAIT_MS).unref();
    });
    this.worker.postMessage('stop');
    await stopped;
    await this.worker.terminate();
  }

  private onMessage(m: FromWorker): void {
    if (m.t === 'store') {
      if (m.op === 'replace') this.store.replace(m.resource, m.items);
      else if (m.op === 'upsert') this.store.upsert(m.resource, m.o);
      else this.store.remove(m.resource, m.o);
    } else if (m.t === 'expire') this.store.expire();
    else if (m.t === 'log') this.logger[m.level](m.msg, m.fields);
    else if (m.t === 'stopped') this.stoppedSignal?.();
  }
}

/**
 * A worker running the module at `url`. Run from sources (tests), the worker registers tsx first: on
 * Node 20 a worker does not get the `--import tsx` loader of its process for its entry file.
 */
function workerOf(url: string, data: WorkerInput): Worker {
  if (!url.endsWith('.ts')) return new Worker(new URL(url), { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(code, { eval: true, workerData: data });
}

// ---- the worker's side ----

function post(m: FromWorker): void {
  parentPort?.postMessage(m);
}

function postingSink(): StoreSink {
  return {
    replace: (resource, items) => {
      post({ t: 'store', op: 'replace', resource, items: items.map((o) => slimObject(resource, o)) });
    },
    upsert: (resource, o) => {
      post({ t: 'store', op: 'upsert', resource, o: slimObject(resource, o) });
    },
    remove: (resource, o) => {
      post({ t: 'store', op: 'remove', resource, o: slimObject(resource, o) });
    },
    expire: () => {
      post({ t: 'expire' });
    },
  };
}

function postingLogger(): Logger {
  const at =
    (level: Level) =>
    (msg: string, fields: Record<string, unknown> = {}): void => {
      post({ t: 'log', level, msg, fields });
    };
  const logger: Logger = {
    debug: () => undefined,
    info: at('info'),
    warn: at('warn'),
    error: at('warn'),
    isDebugEnabled: () => false,
    child: () => logger,
  };
  return logger;
}

async function runWorker(input: WorkerInput): Promise<void> {
  let client: WatchClient | undefined;
  parentPort?.on('message', () => {
    void (client?.stop() ?? Promise.resolve()).then(() => {
      post({ t: 'stopped' });
    });
  });
  try {
    const env = input.env as NodeJS.ProcessEnv;
    const rules = compileRules(input.config, env);
    const mod = await loadKubeClient();
    const kc = kubeConfigFor(mod, input.config.auth_type, input.config.context, env, input.serviceAccountDir);
    const needs = new Set(rbacNeeds(rules, false).map((n) => n.resource));
    client = new WatchClient(mod, kc, sourcesFor(mod, kc, rules, needs), postingSink(), input.timings, postingLogger());
    await client.start(input.waitMs, input.mustSync);
    post({ t: 'started' });
  } catch (err) {
    const code = err instanceof TelegateError ? err.code : 'TG_START_FAILED';
    const message = errorMessage(err);
    await client?.stop();
    post({ t: 'started', error: { code, message } });
  }
}

const input = workerData as Partial<WorkerInput> | null;
if (!isMainThread && input?.telegateK8sWatch === true) void runWorker(input as WorkerInput);
