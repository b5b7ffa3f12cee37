// Checks `service.pipelines` and `service.extensions` against the configured components, with the
// Go collector's rules: every pipeline has receivers and exporters, references only configured
// components that support its signal, and lists each processor once; at least one pipeline exists.
import type { Kind, Signal } from '../contracts/signal.ts';
import type { ConfigNode, MapEntry, Source } from './node.ts';
import { describeNode, isNull, joinPath } from './node.ts';
import { IssueList } from './issues.ts';
import { parseComponentId, parsePipelineId } from './component-id.ts';
import type { KnownComponent } from './resolve-components.ts';
import { closestMatch, didYouMean, listSome } from './suggest.ts';
import { SECTION_OF, type ResolvedPipeline } from './types.ts';

/** Every id written in each section. */
export type KnownSections = Readonly<Record<Kind, ReadonlyMap<string, KnownComponent>>>;

const PIPELINE_KEYS = ['receivers', 'processors', 'exporters'] as const;
type PipelineKey = (typeof PIPELINE_KEYS)[number];
const KIND_OF: Readonly<Record<PipelineKey, Kind>> = {
  receivers: 'receiver',
  processors: 'processor',
  exporters: 'exporter',
};

/** Resolves `service.pipelines`; `entry` is undefined when the key is absent. */
export function resolvePipelines(
  entry: MapEntry | undefined,
  serviceSource: Source | undefined,
  known: KnownSections,
  issues: IssueList,
): Map<string, ResolvedPipeline> {
  const out = new Map<string, ResolvedPipeline>();
  const path = 'service.pipelines';
  if (entry !== undefined && !isNull(entry.value) && entry.value.kind !== 'map') {
    issues.error({
      path,
      source: entry.keySource,
      message: `expected a map of pipelines by id, got ${describeNode(entry.value)}`,
      code: 'TG_CONFIG_TYPE',
    });
    return out;
  }
  const pipelines = entry?.value.kind === 'map' ? entry.value.entries : new Map<string, MapEntry>();
  for (const [key, p] of pipelines) {
    const resolved = resolvePipeline(key, p, known, issues);
    if (resolved !== undefined) out.set(resolved.id, resolved);
  }
  if (pipelines.size === 0) {
    issues.error({
      path,
      source: entry?.keySource ?? serviceSource,
      message: 'service must have at least one pipeline',
      hint: 'Add e.g. `traces: {receivers: [otlp], exporters: [debug]}` under service.pipelines.',
      code: 'TG_CONFIG_PIPELINE',
    });
  }
  return out;
}

function resolvePipeline(
  key: string,
  entry: MapEntry,
  known: KnownSections,
  issues: IssueList,
): ResolvedPipeline | undefined {
  const path = joinPath('service.pipelines', key);
  const parsed = parsePipelineId(key);
  if (!parsed.ok) {
    const near = parsed.type === undefined ? '' : didYouMean(parsed.type, ['traces', 'metrics', 'logs']);
    const hint = 'Write the pipeline id as traces, metrics or logs, optionally followed by /name (traces/edge).';
    issues.error({
      path,
      source: entry.keySource,
      message: `${parsed.message}${near}`,
      hint,
      code: 'TG_CONFIG_COMPONENT_ID',
    });
    return undefined;
  }
  const node = entry.value;
  if (node.kind !== 'map' && !isNull(node)) {
    issues.error({
      path,
      source: entry.keySource,
      message: `expected a map with receivers, processors and exporters, got ${describeNode(node)}`,
      code: 'TG_CONFIG_TYPE',
    });
    return undefined;
  }
  const entries = node.kind === 'map' ? node.entries : new Map<string, MapEntry>();
  for (const [k, e] of entries) {
    if (PIPELINE_KEYS.some((p) => p === k)) continue;
    issues.error({
      path: joinPath(path, k),
      source: e.keySource,
      message: `unknown key \`${k}\`${didYouMean(k, PIPELINE_KEYS)}`,
      hint: 'Valid keys here: receivers, processors, exporters.',
      code: 'TG_CONFIG_UNKNOWN_KEY',
    });
  }
  const lists = PIPELINE_KEYS.map((k) => readRefs(k, entries.get(k), parsed.signal, path, known, issues));
  const [receivers = [], processors = [], exporters = []] = lists;
  // A list whose only entries were bad references is already reported; do not add "must have one".
  requireSome(
    'receiver',
    listItems(entries.get('receivers'), path, new IssueList()),
    path,
    entry.keySource,
    known,
    issues,
  );
  requireSome(
    'exporter',
    listItems(entries.get('exporters'), path, new IssueList()),
    path,
    entry.keySource,
    known,
    issues,
  );
  return { id: parsed.id, signal: parsed.signal, receivers, processors, exporters };
}

function requireSome(
  kind: 'receiver' | 'exporter',
  ids: readonly unknown[],
  path: string,
  source: Source | undefined,
  known: KnownSections,
  issues: IssueList,
): void {
  if (ids.length > 0) return;
  const configured = [...known[kind].keys()];
  issues.error({
    path: joinPath(path, SECTION_OF[kind]),
    source,
    message: `must have at least one ${kind}`,
    hint:
      configured.length > 0
        ? `Configured ${SECTION_OF[kind]}: ${listSome(configured)}.`
        : `Define one under \`${SECTION_OF[kind]}:\` and list it here.`,
    code: 'TG_CONFIG_PIPELINE',
  });
}

/** The ids of one list; references are checked and bad ones dropped. */
function readRefs(
  key: PipelineKey,
  entry: MapEntry | undefined,
  signal: Signal,
  pipelinePath: string,
  known: KnownSections,
  issues: IssueList,
): string[] {
  const path = joinPath(pipelinePath, key);
  const items = listItems(entry, path, issues);
  const out: string[] = [];
  items.forEach((item, i) => {
    const id = checkRef(KIND_OF[key], item, signal, `${path}[${i}]`, pipelinePath, known, issues);
    if (id === undefined) return;
    if (key === 'processors' && out.includes(id)) {
      issues.error({
        path: `${path}[${i}]`,
        source: item.source,
        message: `references processor ${JSON.stringify(id)} multiple times`,
        hint: 'List each processor once per pipeline; use processor/name ids for a second instance.',
        code: 'TG_CONFIG_PIPELINE',
      });
      return;
    }
    out.push(id);
  });
  return out;
}

/** The items of a list of ids: a list, or a comma-separated string as Go's decoder accepts. */
export function listItems(entry: MapEntry | undefined, path: string, issues: IssueList): readonly ConfigNode[] {
  if (entry === undefined || isNull(entry.value)) return [];
  const node = entry.value;
  if (node.kind === 'list') return node.items;
  if (node.kind === 'scalar' && typeof node.value === 'string') {
    const source = node.source;
    return node.value.split(',').map((s) => ({ kind: 'scalar', value: s.trim(), source }));
  }
  issues.error({
    path,
    source: entry.keySource,
    message: `expected a list of component ids, got ${describeNode(node)}`,
    code: 'TG_CONFIG_TYPE',
  });
  return [];
}

/** Checks one reference of `kind`; returns its canonical id when it is usable. */
export function checkRef(
  kind: Kind,
  item: ConfigNode,
  signal: Signal | undefined,
  path: string,
  owner: string,
  known: KnownSections,
  issues: IssueList,
): string | undefined {
  if (item.kind !== 'scalar' || typeof item.value !== 'string') {
    issues.error({
      path,
      source: item.source,
      message: `expected a ${kind} id, got ${describeNode(item)}`,
      code: 'TG_CONFIG_TYPE',
    });
    return undefined;
  }
  const parsed = parseComponentId(item.value);
  if (!parsed.ok) {
    issues.error({ path, source: item.source, message: parsed.message, code: 'TG_CONFIG_COMPONENT_ID' });
    return undefined;
  }
  const id = parsed.id.id;
  const component = known[kind].get(id);
  if (component === undefined) {
    reportUndefined(kind, id, path, owner, item.source, known, issues);
    return undefined;
  }
  const factory = component.factory;
  if (signal !== undefined && factory !== undefined && factory.stability[signal] === undefined) {
    const supported = Object.keys(factory.stability).join(', ');
    issues.error({
      path,
      source: item.source,
      message: `${SECTION_OF[kind]}.${id} does not support ${signal} (\`${factory.type}\` supports ${supported === '' ? 'no signal' : supported})`,
      hint: `Remove it from this ${signal} pipeline, or use it in a pipeline of a signal it supports.`,
      code: 'TG_CONFIG_SIGNAL_UNSUPPORTED',
    });
    return undefined;
  }
  return id;
}

function reportUndefined(
  kind: Kind,
  id: string,
  path: string,
  owner: string,
  source: Source | undefined,
  known: KnownSections,
  issues: IssueList,
): void {
  const configured = [...known[kind].keys()];
  const near = closestMatch(id, configured);
  issues.error({
    path,
    source,
    message: `${owner} references ${kind} ${JSON.stringify(id)} which is not configured${near === undefined ? '' : `; did you mean \`${near}\`?`}`,
    hint:
      configured.length === 0
        ? `Define it under \`${SECTION_OF[kind]}:\`.`
        : `Define it under \`${SECTION_OF[kind]}:\`, or use a configured one: ${listSome(configured)}.`,
    code: 'TG_CONFIG_UNDEFINED_REFERENCE',
  });
}
