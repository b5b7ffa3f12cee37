// Find in a trace: which spans match a text (service, operation, span id, tag key or value, as Jaeger
// UI's uiFind does) in display order, and stepping through them with next / previous.
import type { TraceTree } from './trace-model.ts';

/** The event a span link dispatches (bubbling) to show a span of the same trace; detail: the span id. */
export const REVEAL_EVENT = 'tg-reveal';

/** The ids of the spans matching `text`, in display order; empty text matches nothing. */
export function findSpans(tree: TraceTree, text: string): string[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return [];
  const has = (v: unknown): boolean => String(v).toLowerCase().includes(needle);
  const found: string[] = [];
  for (const { span, service } of tree.ordered) {
    const hit =
      has(service) ||
      has(span.operationName) ||
      span.spanID.toLowerCase() === needle ||
      (span.tags ?? []).some((t) => has(t.key) || has(t.value));
    if (hit) found.push(span.spanID);
  }
  return found;
}

/** The next index when stepping `delta` (±1) from `current` (−1: none yet) through `count` matches, wrapping. */
export function stepMatch(current: number, delta: number, count: number): number {
  if (count === 0) return -1;
  if (current < 0) return delta >= 0 ? 0 : count - 1;
  return (((current + delta) % count) + count) % count;
}
