// Resolves a whole merged config tree against the factory registry: the four component sections,
// then the service section (extensions, pipelines, telemetry), then the whole-config checks —
// unused components (warnings) and two servers on one address (errors).
import type { Kind } from '../contracts/signal.ts';
import type { ConfigNode, MapNode } from './node.ts';
import { describeNode, isNull, joinPath, nodeAt } from './node.ts';
import { IssueList, type ConfigIssue } from './issues.ts';
import { resolveSection, type SectionResult } from './resolve-components.ts';
import { checkRef, listItems, resolvePipelines, type KnownSections } from './resolve-pipelines.ts';
import { resolveTelemetry } from './resolve-telemetry.ts';
import { reportAddressConflicts, type Listener } from './address-conflicts.ts';
import { checkAuthenticatorRefs } from './resolve-auth.ts';
import { checkStorageRefs } from './resolve-storage.ts';
import { didYouMean } from './suggest.ts';
import { KINDS, SECTION_OF, type Registry, type ResolvedConfig, type ResolvedPipeline } from './types.ts';
import type { ExporterFactory, ExtensionFactory, ProcessorFactory, ReceiverFactory } from '../contracts/component.ts';
import type { ResolvedComponent } from './types.ts';

const TOP_KEYS = ['receivers', 'processors', 'exporters', 'extensions', 'connectors', 'service'];
const SERVICE_KEYS = ['extensions', 'pipelines', 'telemetry'];

/** The resolved config when there is no error, and every issue found. */
export interface ResolveResult {
  readonly config: ResolvedConfig | undefined;
  readonly issues: readonly ConfigIssue[];
}

/** Resolves the merged, expanded tree. */
export function resolveConfig(root: ConfigNode, registry: Registry): ResolveResult {
  const issues = new IssueList();
  if (root.kind !== 'map') {
    issues.error({
      path: '',
      source: root.source,
      message: `the config must be a map of sections, got ${describeNode(root)}`,
      code: 'TG_CONFIG_TYPE',
    });
    return { config: undefined, issues: issues.items };
  }
  checkTopLevel(root, issues);
  const sections = Object.fromEntries(KINDS.map((k) => [k, resolveSection(k, root, registry, issues)])) as Record<
    Kind,
    SectionResult
  >;
  const known: KnownSections = {
    receiver: sections.receiver.known,
    processor: sections.processor.known,
    exporter: sections.exporter.known,
    extension: sections.extension.known,
  };
  const service = resolveService(root, known, issues);
  reportUnused(known, service.extensions, service.pipelines, issues);
  reportAddressConflicts(listeners(root, sections, service), issues);
  checkAuthenticatorRefs(
    {
      receivers: sections.receiver,
      exporters: sections.exporter,
      extensions: sections.extension,
      enabled: service.extensions,
      pipelines: service.pipelines,
    },
    issues,
  );
  checkStorageRefs(
    {
      exporters: sections.exporter,
      extensions: sections.extension,
      enabled: service.extensions,
      pipelines: service.pipelines,
    },
    issues,
  );
  if (issues.errorCount() > 0 || service.telemetry === undefined) return { config: undefined, issues: issues.items };
  const config: ResolvedConfig = {
    receivers: sections.receiver.resolved as Map<string, ResolvedComponent<ReceiverFactory>>,
    processors: sections.processor.resolved as Map<string, ResolvedComponent<ProcessorFactory>>,
    exporters: sections.exporter.resolved as Map<string, ResolvedComponent<ExporterFactory>>,
    extensions: sections.extension.resolved as Map<string, ResolvedComponent<ExtensionFactory>>,
    service: { extensions: service.extensions, pipelines: service.pipelines, telemetry: service.telemetry.settings },
  };
  return { config, issues: issues.items };
}

function checkTopLevel(root: MapNode, issues: IssueList): void {
  for (const [key, entry] of root.entries) {
    if (
      key === 'connectors' &&
      !(isNull(entry.value) || (entry.value.kind === 'map' && entry.value.entries.size === 0))
    ) {
      issues.error({
        path: key,
        source: entry.keySource,
        message: 'connectors are not supported by telegate yet',
        hint: 'Remove the connectors section; join pipelines through a shared receiver or exporter instead.',
        code: 'TG_CONFIG_UNSUPPORTED',
      });
    } else if (!TOP_KEYS.includes(key)) {
      issues.error({
        path: key,
        source: entry.keySource,
        message: `unknown top-level section \`${key}\`${didYouMean(key, TOP_KEYS)}`,
        hint: `Valid sections: ${TOP_KEYS.join(', ')}.`,
        code: 'TG_CONFIG_UNKNOWN_KEY',
      });
    }
  }
}

interface ServiceResult {
  readonly extensions: string[];
  readonly pipelines: Map<string, ResolvedPipeline>;
  readonly telemetry: ReturnType<typeof resolveTelemetry>;
}

function resolveService(root: MapNode, known: KnownSections, issues: IssueList): ServiceResult {
  const entry = root.entries.get('service');
  let node: MapNode | undefined;
  if (entry !== undefined && !isNull(entry.value)) {
    if (entry.value.kind === 'map') node = entry.value;
    else
      issues.error({
        path: 'service',
        source: entry.keySource,
        message: `expected a map with extensions, pipelines and telemetry, got ${describeNode(entry.value)}`,
        code: 'TG_CONFIG_TYPE',
      });
  }
  const source = entry?.keySource ?? root.source;
  for (const [key, e] of node?.entries ?? []) {
    if (SERVICE_KEYS.includes(key)) continue;
    issues.error({
      path: joinPath('service', key),
      source: e.keySource,
      message: `unknown key \`${key}\`${didYouMean(key, SERVICE_KEYS)}`,
      hint: `Valid keys here: ${SERVICE_KEYS.join(', ')}.`,
      code: 'TG_CONFIG_UNKNOWN_KEY',
    });
  }
  const extEntry = node?.entries.get('extensions');
  const extensions: string[] = [];
  listItems(extEntry, 'service.extensions', issues).forEach((item, i) => {
    const id = checkRef('extension', item, undefined, `service.extensions[${i}]`, 'service.extensions', known, issues);
    if (id !== undefined && !extensions.includes(id)) extensions.push(id);
  });
  const pipelines = resolvePipelines(node?.entries.get('pipelines'), source, known, issues);
  const telemetry = resolveTelemetry(node?.entries.get('telemetry'), source, issues);
  return { extensions, pipelines, telemetry };
}

const USE_HINT: Readonly<Record<Kind, string>> = {
  receiver: "Add it to a pipeline's receivers to start it, or remove it.",
  processor: "Add it to a pipeline's processors to apply it, or remove it.",
  exporter: "Add it to a pipeline's exporters to send data to it, or remove it.",
  extension: 'Add it to service.extensions to start it, or remove it.',
};

function reportUnused(
  known: KnownSections,
  extensions: readonly string[],
  pipelines: ReadonlyMap<string, ResolvedPipeline>,
  issues: IssueList,
): void {
  const used: Record<Kind, Set<string>> = {
    receiver: new Set([...pipelines.values()].flatMap((p) => p.receivers)),
    processor: new Set([...pipelines.values()].flatMap((p) => p.processors)),
    exporter: new Set([...pipelines.values()].flatMap((p) => p.exporters)),
    extension: new Set(extensions),
  };
  for (const kind of KINDS) {
    for (const [id, component] of known[kind]) {
      if (used[kind].has(id) || component.factory === undefined) continue;
      const where = kind === 'extension' ? 'not enabled in service.extensions' : 'not used by any pipeline';
      issues.warning({
        path: joinPath(SECTION_OF[kind], id),
        source: component.keySource,
        message: `${SECTION_OF[kind]}.${id} is configured but ${where}; it has no effect`,
        hint: USE_HINT[kind],
        code: 'TG_CONFIG_UNUSED',
      });
    }
  }
}

// Servers that will start: receivers used by a pipeline, enabled extensions, the metrics server.
function listeners(root: MapNode, sections: Record<Kind, SectionResult>, service: ServiceResult): Listener[] {
  const usedReceivers = new Set([...service.pipelines.values()].flatMap((p) => p.receivers));
  const out: Listener[] = [];
  const add = (kind: Kind, ids: Iterable<string>): void => {
    for (const id of ids) out.push(...componentListeners(kind, id, sections[kind]));
  };
  const telemetry = service.telemetry;
  const address = telemetry?.settings.metrics.address;
  // The metrics server comes first so that a clash is reported at the component's endpoint.
  if (telemetry !== undefined && address !== undefined) {
    const written = nodeAt(root, telemetry.addressPath);
    const label =
      written === undefined ? `the collector's own metrics server (service.telemetry.metrics, by default)` : undefined;
    const source = written?.source ?? nodeAt(root, 'service')?.source;
    out.push({ path: telemetry.addressPath, source, endpoint: address, ...(label === undefined ? {} : { label }) });
  }
  add('extension', service.extensions);
  add('receiver', usedReceivers);
  return out;
}

function componentListeners(kind: Kind, id: string, section: SectionResult): Listener[] {
  const resolved = section.resolved.get(id);
  const known = section.known.get(id);
  if (resolved === undefined || known === undefined) return [];
  let endpoints: readonly { path: string; endpoint: string }[];
  try {
    endpoints = resolved.factory.endpoints?.(resolved.config) ?? [];
  } catch {
    // A factory that cannot list its endpoints is not checked; its own validate() reports the config.
    endpoints = [];
  }
  const base = joinPath(SECTION_OF[kind], id);
  return endpoints.map((e) => ({
    path: joinPath(base, e.path),
    source: nodeAt(known.node, e.path)?.source ?? known.keySource,
    endpoint: e.endpoint,
  }));
}
