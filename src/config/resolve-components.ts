// Resolves one component section (`receivers:`, `processors:`, …): parses each id, finds its
// factory, validates its config against the factory's schema and then the factory's own rules.
import type { Factory } from '../contracts/component.ts';
import type { Kind } from '../contracts/signal.ts';
import type { ConfigNode, MapNode, Source } from './node.ts';
import { describeNode, isNull, joinPath, nodeAt } from './node.ts';
import type { IssueList } from './issues.ts';
import { parseComponentId } from './component-id.ts';
import { validateConfig } from './validate.ts';
import { upstreamOrigin } from './upstream-types.ts';
import { didYouMean, listSome } from './suggest.ts';
import { KINDS, SECTION_OF, type Registry, type ResolvedComponent } from './types.ts';
import { errorMessage } from '../errors/thrown.ts';

/** A component written in the config, valid or not: enough for pipeline checks. */
export interface KnownComponent {
  readonly id: string;
  readonly keySource: Source | undefined;
  readonly node: ConfigNode;
  /** Undefined when the type is unknown. */
  readonly factory: Factory | undefined;
  /**
   * The config as the schema validated it, even when the factory's own rules then found a problem
   * (a TLS file missing, say), so that checks across components still see it. Undefined when the
   * schema refused it.
   */
  schemaValid?: unknown;
}

/** The outcome for one section. */
export interface SectionResult {
  /** Components whose config is valid. */
  readonly resolved: Map<string, ResolvedComponent>;
  /** Every component id written, so references to an invalid component are not reported twice. */
  readonly known: Map<string, KnownComponent>;
}

/** Resolves the section of `kind` in the root map. */
export function resolveSection(kind: Kind, root: MapNode, registry: Registry, issues: IssueList): SectionResult {
  const section = SECTION_OF[kind];
  const result: SectionResult = { resolved: new Map(), known: new Map() };
  const entry = root.entries.get(section);
  if (entry === undefined || isNull(entry.value)) return result;
  if (entry.value.kind !== 'map') {
    issues.error({
      path: section,
      source: entry.keySource,
      message: `expected a map of ${section} by id, got ${describeNode(entry.value)}`,
      code: 'TG_CONFIG_TYPE',
    });
    return result;
  }
  for (const [key, item] of entry.value.entries)
    resolveOne(kind, key, item.keySource, item.value, registry, issues, result);
  return result;
}

function resolveOne(
  kind: Kind,
  key: string,
  keySource: Source | undefined,
  node: ConfigNode,
  registry: Registry,
  issues: IssueList,
  out: SectionResult,
): void {
  const path = joinPath(SECTION_OF[kind], key);
  const parsed = parseComponentId(key);
  if (!parsed.ok) {
    issues.error({
      path,
      source: keySource,
      message: parsed.message,
      hint: 'Write the id as type or type/name, e.g. otlp or otlp/internal.',
      code: 'TG_CONFIG_COMPONENT_ID',
    });
    return;
  }
  const id = parsed.id.id;
  if (out.known.has(id)) {
    issues.error({
      path,
      source: keySource,
      message: `${SECTION_OF[kind]} has ${JSON.stringify(id)} twice (ids are compared after trimming spaces)`,
      code: 'TG_CONFIG_COMPONENT_ID',
    });
    return;
  }
  const factory: Factory | undefined = registry[kind].get(parsed.id.type);
  const known: KnownComponent = { id, keySource, node, factory };
  out.known.set(id, known);
  if (factory === undefined) {
    reportUnknownType(kind, parsed.id.type, path, keySource, registry, issues);
    return;
  }
  if (factory.deprecation !== undefined) {
    issues.warning({
      path,
      source: keySource,
      message: `${kind} type \`${factory.type}\` is deprecated: ${factory.deprecation}`,
      code: 'TG_CONFIG_DEPRECATED',
    });
  }
  const validated = validateConfig(factory.configSchema, node, path, keySource);
  issues.addAll(validated.issues);
  if (validated.value === undefined) return;
  known.schemaValid = validated.value;
  if (!runFactoryRules(factory, validated.value, node, path, keySource, issues)) return;
  out.resolved.set(id, { id: parsed.id, factory, config: validated.value });
}

// The factory's cross-field rules; a throwing rule is reported, never a stack trace.
function runFactoryRules(
  factory: Factory,
  config: unknown,
  node: ConfigNode,
  path: string,
  keySource: Source | undefined,
  issues: IssueList,
): boolean {
  let problems: readonly (readonly [string, string])[];
  try {
    problems = factory.validate?.(config) ?? [];
  } catch (err) {
    problems = [['', `the ${factory.type} config could not be checked: ${errorMessage(err)}`]];
  }
  for (const [rel, message] of problems) {
    const source = nodeAt(node, rel)?.source ?? keySource;
    issues.error({ path: joinPath(path, rel), source, message, code: 'TG_CONFIG_COMPONENT_INVALID' });
  }
  return problems.length === 0;
}

function reportUnknownType(
  kind: Kind,
  type: string,
  path: string,
  source: Source | undefined,
  registry: Registry,
  issues: IssueList,
): void {
  const otherKind = KINDS.find((k) => k !== kind && registry[k].has(type));
  if (otherKind !== undefined) {
    issues.error({
      path,
      source,
      message: `\`${type}\` is ${article(otherKind)} ${otherKind}, not ${article(kind)} ${kind}`,
      hint: `Move it under \`${SECTION_OF[otherKind]}:\`.`,
      code: 'TG_CONFIG_WRONG_KIND',
    });
    return;
  }
  const types = [...registry[kind].keys()];
  const origin = upstreamOrigin(kind, type);
  if (origin !== undefined) {
    issues.error({
      path,
      source,
      message:
        origin === 'jaeger'
          ? `\`${type}\` is a Jaeger v2 ${kind} that is not supported by telegate`
          : `\`${type}\` is an OpenTelemetry Collector ${kind} that telegate does not implement yet`,
      hint: `Remove it or replace it; this build's ${SECTION_OF[kind]}: ${types.length === 0 ? 'none' : listSome(types)}.`,
      code: 'TG_CONFIG_UNKNOWN_TYPE',
    });
    return;
  }
  issues.error({
    path,
    source,
    message: `unknown ${kind} type \`${type}\`${didYouMean(type, types)}`,
    hint:
      types.length === 0
        ? `This build has no ${SECTION_OF[kind]}.`
        : `Known ${SECTION_OF[kind]}: ${listSome(types)}; \`telegate components\` lists them all.`,
    code: 'TG_CONFIG_UNKNOWN_TYPE',
  });
}

function article(kind: Kind): string {
  return kind === 'exporter' || kind === 'extension' ? 'an' : 'a';
}
