// Compiles an `include` / `exclude` block for one signal with the rules and messages of Go's
// filterspan, filterlog and filtermetric (filterconfig ValidateForSpans / ValidateForLogs).
import type { Signal } from '../../../contracts/signal.ts';
import { createAttributesMatcher, type AttributesMatcher } from './attribute-matcher.ts';
import { createFilterSet, type FilterSet } from './filterset.ts';
import type { MatchProperties } from './match-config.ts';
import { severityNumberOf } from './severity.ts';

/** A compiled block; a property that is not set is null and matches everything. */
export interface CompiledMatch {
  readonly services: FilterSet | null;
  readonly spanNames: FilterSet | null;
  readonly spanKinds: FilterSet | null;
  readonly logBodies: FilterSet | null;
  readonly logSeverityTexts: FilterSet | null;
  readonly severity: { readonly min: number; readonly matchUndefined: boolean } | null;
  readonly metricNames: FilterSet | null;
  readonly libraries: readonly { readonly name: FilterSet; readonly version: FilterSet | null }[];
  readonly resources: AttributesMatcher | null;
  readonly attributes: AttributesMatcher | null;
}

/** A compiled block, or a problem as [path below the block, Go's message]. */
export type MatchCompileResult = CompiledMatch | readonly [path: string, message: string];

const SPAN_KINDS = [
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_CONSUMER',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_SERVER',
];

/**
 * Compiles `mp` for `signal`. Without a signal (config validation, where the pipelines are not known
 * yet) only the checks that hold for every signal are made and every property is compiled.
 */
export function compileMatch(mp: MatchProperties, signal: Signal | undefined): MatchCompileResult {
  const problem = signal === undefined ? spanKindProblem(mp) : signalProblem(mp, signal);
  if (problem !== undefined) return problem;
  const matchType = mp.match_type ?? '';
  const sets: Partial<Record<string, FilterSet | null>> = {};
  for (const [field, what] of SET_FIELDS) {
    const list = mp[field];
    if (signal !== undefined && !SIGNAL_FIELDS[signal].includes(field)) continue;
    if (list === undefined || list.length === 0) continue;
    const fs = createFilterSet(list, matchType);
    if (typeof fs === 'string') return [field, `error creating ${what} filters: ${fs}`];
    sets[field] = fs;
  }
  return compileRest(mp, signal, matchType, sets);
}

function compileRest(
  mp: MatchProperties,
  signal: Signal | undefined,
  matchType: string,
  sets: Partial<Record<string, FilterSet | null>>,
): MatchCompileResult {
  const metricsOnly = signal === 'metrics';
  const libraries = metricsOnly ? [] : compileLibraries(mp, matchType);
  if (!Array.isArray(libraries)) return libraries as readonly [string, string];
  const attrs = metricsOnly ? null : compileAttributes(mp.attributes, matchType, 'attributes', 'attribute');
  if (attrs !== null && !isMatcher(attrs)) return attrs;
  const resources = metricsOnly ? null : compileAttributes(mp.resources, matchType, 'resources', 'resource');
  if (resources !== null && !isMatcher(resources)) return resources;
  let severity: CompiledMatch['severity'] = null;
  if (mp.log_severity_number !== undefined && signal !== 'traces' && !metricsOnly) {
    const min = severityNumberOf(mp.log_severity_number.min ?? 0);
    if (typeof min === 'string') return ['log_severity_number.min', min];
    severity = { min, matchUndefined: mp.log_severity_number.match_undefined ?? false };
  }
  return {
    services: sets['services'] ?? null,
    spanNames: sets['span_names'] ?? null,
    spanKinds: sets['span_kinds'] ?? null,
    logBodies: sets['log_bodies'] ?? null,
    logSeverityTexts: sets['log_severity_texts'] ?? null,
    severity,
    metricNames: sets['metric_names'] ?? null,
    libraries,
    resources,
    attributes: attrs,
  };
}

type SetField = 'services' | 'span_names' | 'span_kinds' | 'log_bodies' | 'log_severity_texts' | 'metric_names';
const SET_FIELDS: readonly (readonly [SetField, string])[] = [
  ['services', 'service name'],
  ['span_names', 'span name'],
  ['span_kinds', 'span kind'],
  ['log_bodies', 'log record body'],
  ['log_severity_texts', 'log record severity text'],
  ['metric_names', 'metric name'],
];
/** The string sets Go reads for each signal (others are ignored, or refused by signalProblem). */
const SIGNAL_FIELDS: Readonly<Record<Signal, readonly SetField[]>> = {
  traces: ['services', 'span_names', 'span_kinds'],
  logs: ['log_bodies', 'log_severity_texts'],
  metrics: ['metric_names'],
};

function isMatcher(x: AttributesMatcher | readonly [string, string]): x is AttributesMatcher {
  return x.length === 0 || typeof x[0] !== 'string';
}

function compileAttributes(
  entries: MatchProperties['attributes'],
  matchType: string,
  field: string,
  what: string,
): AttributesMatcher | readonly [string, string] | null {
  if (entries === undefined || entries.length === 0) return null;
  const m = createAttributesMatcher(entries, matchType);
  return typeof m === 'string' ? [field, `error creating ${what} filters: ${m}`] : m;
}

function compileLibraries(
  mp: MatchProperties,
  matchType: string,
): CompiledMatch['libraries'] | readonly [string, string] {
  const out: { name: FilterSet; version: FilterSet | null }[] = [];
  for (const [i, lib] of (mp.libraries ?? []).entries()) {
    const name = createFilterSet([lib.name], matchType);
    if (typeof name === 'string') return [`libraries[${i}].name`, `error creating library name filters: ${name}`];
    let version: FilterSet | null = null;
    if (lib.version !== undefined) {
      const v = createFilterSet([lib.version], matchType);
      if (typeof v === 'string') return [`libraries[${i}].version`, `error creating library version filters: ${v}`];
      version = v;
    }
    out.push({ name, version });
  }
  return out;
}

const has = (list: readonly unknown[] | undefined): boolean => list !== undefined && list.length > 0;

/** Go's ValidateForSpans / ValidateForLogs (metrics have no such check). */
function signalProblem(mp: MatchProperties, signal: Signal): readonly [string, string] | undefined {
  if (signal === 'traces') return spanProblem(mp);
  if (signal === 'logs') return logProblem(mp);
  return undefined;
}

function spanProblem(mp: MatchProperties): readonly [string, string] | undefined {
  if (has(mp.log_bodies)) return ['log_bodies', 'log_bodies should not be specified for trace spans'];
  if (has(mp.log_severity_texts))
    return ['log_severity_texts', 'log_severity_texts should not be specified for trace spans'];
  if (mp.log_severity_number !== undefined)
    return ['log_severity_number', 'log_severity_number should not be specified for trace spans'];
  const any = [mp.services, mp.span_names, mp.attributes, mp.libraries, mp.resources, mp.span_kinds].some(has);
  if (!any) return ['', 'at least one of "attributes", "libraries",  or "resources" field must be specified'];
  return spanKindProblem(mp);
}

/** With match_type strict a span kind must be one of the five standard names. */
function spanKindProblem(mp: MatchProperties): readonly [string, string] | undefined {
  if (mp.match_type !== 'strict' || (mp.span_kinds ?? []).every((k) => SPAN_KINDS.includes(k))) return undefined;
  return [
    'span_kinds',
    `span_kinds string must match one of the standard span kinds when match_type=strict: [${SPAN_KINDS.join(' ')}]`,
  ];
}

function logProblem(mp: MatchProperties): readonly [string, string] | undefined {
  if (has(mp.span_names) || has(mp.services) || has(mp.span_kinds)) {
    return ['', 'services, span_names, and span_kinds are not valid for log records'];
  }
  const any = [mp.attributes, mp.libraries, mp.resources, mp.log_bodies, mp.log_severity_texts].some(has);
  if (!any && mp.log_severity_number === undefined) {
    return [
      '',
      'at least one of "attributes", "libraries", "span_kinds", "resources", "log_bodies", "log_severity_texts" or "log_severity_number" field must be specified',
    ];
  }
  return undefined;
}
