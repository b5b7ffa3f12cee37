// Hot path: see bench/k8sattributes.ts.
// The `k8sattributes` processor: finds the pod of each Resource entry (pod_association, or the client
// address of the connection) and adds its metadata as Resource attributes, rewriting only the
// Resource bytes (pdata/resource-edit.ts). Attributes already present are kept, as in Go. Data whose
// pod is not known (yet) passes untagged and is counted; it is never held back.
import type { Component, Counter, CreateSettings, Logger } from '../../../contracts/component.ts';
import type { ConsumeResult, Consumer } from '../../../contracts/consumer.ts';
import type { Payload } from '../../../contracts/payload.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import type { KeyValue } from '../../../pdata/attributes.ts';
import { editPayloadResources } from '../../../pdata/resource-edit.ts';
import { identifierOfResource, ipOfAddress, stringAttr } from './association.ts';
import { nodeFilterProblem, type K8sAttributesConfig } from './config.ts';
import { SERVICE_ACCOUNT_DIR } from './kube-api.ts';
import { WorkerWatchClient } from './kube-worker.ts';
import { MetadataStore, type PodRecord } from './metadata-store.ts';
import { stringKv } from './pod-attributes.ts';
import { DEFAULT_TIMINGS, type ReflectorTimings } from './reflector.ts';
import { compileRules, type CompiledRules } from './rules.ts';
import { errorMessage } from '../../../errors/thrown.ts';

/** Limits and timings; tests shorten them. */
export interface K8sAttributesOptions {
  readonly maxPods: number;
  /** Go's defaultPodDeleteGracePeriod. */
  readonly deleteGraceMs: number;
  readonly timings: ReflectorTimings;
  /** How long start waits for the first lists when wait_for_metadata is off (a 403 is reported). */
  readonly startWaitMs: number;
  readonly env: NodeJS.ProcessEnv;
  /** Where the pod's ServiceAccount is mounted (tests point it at a temporary directory). */
  readonly serviceAccountDir: string;
}

export const DEFAULT_OPTIONS: K8sAttributesOptions = {
  maxPods: 200_000,
  deleteGraceMs: 120_000,
  timings: DEFAULT_TIMINGS,
  startWaitMs: 5000,
  env: process.env,
  serviceAccountDir: SERVICE_ACCOUNT_DIR,
};

/** The k8sattributes processor of one pipeline. */
export class K8sAttributesProcessor implements Component, Consumer {
  /** The indexes; exposed for tests and the benchmark. */
  readonly store: MetadataStore;
  private readonly config: K8sAttributesConfig;
  private readonly rules: CompiledRules;
  private readonly next: Consumer;
  private readonly logger: Logger;
  private readonly opts: K8sAttributesOptions;
  private readonly untagged: Counter;
  private client: WorkerWatchClient | undefined;

  constructor(
    settings: CreateSettings,
    config: K8sAttributesConfig,
    next: Consumer,
    opts: K8sAttributesOptions = DEFAULT_OPTIONS,
  ) {
    this.config = config;
    this.rules = compileRules(config, opts.env);
    this.next = next;
    this.logger = settings.logger;
    this.opts = opts;
    this.store = new MetadataStore(this.rules, { maxPods: opts.maxPods, deleteGraceMs: opts.deleteGraceMs });
    const labels = { processor: settings.id.id };
    this.untagged = settings.telemetry.counter(
      'otelcol_otelsvc_k8s_ip_lookup_miss',
      'Resources whose pod was not (yet) known; they pass untagged.',
      labels,
    );
    settings.telemetry.observe('otelcol_otelsvc_k8s_pod_table_size', 'Pods indexed.', labels, () => {
      return this.store.podsByUid.size;
    });
  }

  async start(): Promise<void> {
    if (this.config.passthrough || this.client !== undefined) return;
    const envProblem = nodeFilterProblem(this.config, this.opts.env);
    if (envProblem !== undefined) throw new TelegateError('TG_START_FAILED', `k8sattributes: ${envProblem}`);
    const wait = this.config.wait_for_metadata ? this.config.wait_for_metadata_timeout : this.opts.startWaitMs;
    const input = {
      config: this.config,
      env: { ...this.opts.env },
      timings: this.opts.timings,
      waitMs: wait,
      serviceAccountDir: this.opts.serviceAccountDir,
    };
    const client = new WorkerWatchClient(
      { ...input, mustSync: this.config.wait_for_metadata },
      this.store,
      this.logger,
    );
    this.client = client;
    this.logger.info('k8s filtering', {
      fieldSelector: this.rules.fieldSelector,
      labelSelector: this.rules.labelSelector,
    });
    try {
      await client.start();
    } catch (err) {
      await this.shutdown();
      throw err;
    }
  }

  async shutdown(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.stop();
  }

  consume(payload: Payload): Promise<ConsumeResult> {
    const clientIp = ipOfAddress(payload.context.clientAddress);
    let edited: Payload;
    try {
      edited = editPayloadResources(payload, (attrs) => this.tag(attrs, clientIp));
    } catch (err) {
      const error = new TelegateError('TG_OTLP_MALFORMED', `k8sattributes processor: ${errorMessage(err)}`, {
        cause: err,
      });
      return Promise.resolve({ status: 'failure', error });
    }
    return this.next.consume(edited);
  }

  /** Go's processResource on one Resource's attributes; true when it added any. */
  private tag(attrs: KeyValue[], clientIp: string): boolean {
    const id = identifierOfResource(attrs, clientIp, this.rules.associations);
    let changed = false;
    if (id.connectionIp !== '' && !has(attrs, 'k8s.pod.ip')) {
      attrs.push(stringKv('k8s.pod.ip', id.connectionIp));
      changed = true;
    }
    if (this.config.passthrough) return changed;
    const pod = id.key === '' ? undefined : this.store.pod(id.key);
    if (pod === undefined) this.untagged.add(1);
    else changed = this.addPodTags(attrs, pod) || changed;
    changed = addMissing(attrs, this.store.namespaceTags(stringAttr(attrs, 'k8s.namespace.name'))) || changed;
    return addMissing(attrs, this.store.nodeTags(stringAttr(attrs, 'k8s.node.name'))) || changed;
  }

  private addPodTags(attrs: KeyValue[], pod: PodRecord): boolean {
    let changed = addMissing(attrs, this.store.tagsOf(pod));
    const containers = pod.containers;
    if (containers === undefined) return changed;
    const name = stringAttr(attrs, 'k8s.container.name');
    const c = name !== '' ? containers.byName.get(name) : containers.byId.get(stringAttr(attrs, 'container.id'));
    if (c !== undefined) changed = addMissing(attrs, c.tags) || changed;
    return changed;
  }
}

function has(attrs: readonly KeyValue[], key: string): boolean {
  for (let i = 0; i < attrs.length; i++) if ((attrs[i] as KeyValue).key === key) return true;
  return false;
}

// Go's processResource: an attribute already present is never overwritten.
function addMissing(attrs: KeyValue[], tags: readonly KeyValue[] | undefined): boolean {
  if (tags === undefined) return false;
  let changed = false;
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i] as KeyValue;
    if (has(attrs, t.key)) continue;
    attrs.push(t);
    changed = true;
  }
  return changed;
}
