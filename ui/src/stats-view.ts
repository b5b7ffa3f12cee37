// The trace statistics view: per service, then per operation, span count, errors, duration and self
// time (total, average, min, max) and the share of the trace's duration spent in its own work.
import { h } from './dom.ts';
import { formatDuration } from './format.ts';
import { traceStats, type StatRow } from './trace-stats.ts';
import type { TraceTree } from './trace-model.ts';

/** Rows drawn at most: a trace with thousands of distinct operations must not stall the page. */
const MAX_ROWS = 1000;
const HEAD = ['Service / operation', 'Count', 'Errors', 'Total', 'Avg', 'Min', 'Max'] as const;
const SELF_HEAD = ['Self total', 'Self avg', 'Self min', 'Self max', 'Self % of trace'] as const;

/** The statistics table of a trace. */
export function renderStats(tree: TraceTree): HTMLElement {
  const traceUs = Math.max(1, tree.endUs - tree.startUs);
  const all = traceStats(tree);
  const rows = all.slice(0, MAX_ROWS).map((r) => statRow(r, traceUs, tree.colors.get(r.service) ?? '#1f77b4'));
  return h(
    'div',
    { class: 'panel-scroll' },
    all.length > MAX_ROWS
      ? h('p', { class: 'muted table-note' }, `Showing ${MAX_ROWS} of ${all.length} rows (by self time).`)
      : null,
    h(
      'table',
      { class: 'kv stats-table' },
      h('thead', {}, h('tr', {}, ...[...HEAD, ...SELF_HEAD].map((t) => h('th', {}, t)))),
      h('tbody', {}, ...rows),
    ),
  );
}

function statRow(r: StatRow, traceUs: number, color: string): HTMLElement {
  const isService = r.operation === '';
  const num = (v: string): HTMLElement => h('td', { class: 'num' }, v);
  const d = formatDuration;
  return h(
    'tr',
    {
      class: isService ? 'stat-service' : 'stat-op',
      'data-service': r.service,
      'data-operation': r.operation,
      'data-self-us': r.selfTotalUs,
      'data-total-us': r.totalUs,
    },
    h(
      'th',
      {},
      isService ? h('span', { class: 'svc-mark', style: `background:${color}` }) : null,
      isService ? r.service : r.operation,
    ),
    h('td', { class: 'num count' }, String(r.count)),
    num(String(r.errors)),
    num(d(r.totalUs)),
    num(d(r.totalUs / r.count)),
    num(d(r.minUs)),
    num(d(r.maxUs)),
    num(d(r.selfTotalUs)),
    num(d(r.selfTotalUs / r.count)),
    num(d(r.selfMinUs)),
    num(d(r.selfMaxUs)),
    num(`${((r.selfTotalUs / traceUs) * 100).toFixed(1)}%`),
  );
}
