// A set of strings to match against, as Go's internal/filter/filterset: `strict` (equal to one of
// them) or `regexp` (one of the RE2 expressions finds a match anywhere in the string, as Go's
// regexp.MatchString does — anchor with ^…$ for a whole-string match).
import { compileGoPattern } from '../../attraction/regex.ts';

/** A compiled string filter. */
export interface FilterSet {
  matches(s: string): boolean;
}

/** The match types Go knows, in the order its error message lists them. */
export const MATCH_TYPES: readonly string[] = ['regexp', 'strict'];

/** Go's error for an unknown match_type. */
export function unrecognizedMatchType(matchType: string): string {
  return `unrecognized match_type: '${matchType}', valid types are: [${MATCH_TYPES.join(' ')}]`;
}

/** Builds a filter set, or returns Go's error message. */
export function createFilterSet(filters: readonly string[], matchType: string): FilterSet | string {
  if (matchType === 'strict') {
    const set = new Set(filters);
    return { matches: (s) => set.has(s) };
  }
  if (matchType !== 'regexp') return unrecognizedMatchType(matchType);
  const regexes: RegExp[] = [];
  for (const f of new Set(filters)) {
    const p = compileGoPattern(f);
    if (p === undefined) return `error parsing regexp: invalid or unsupported pattern: \`${f}\``;
    regexes.push(p.regex);
  }
  return { matches: (s) => regexes.some((re) => re.test(s)) };
}
