// The spans table view: every span of the trace as a row (service, operation, span id, start offset,
// duration, self time, errors), sortable by any column and filtered by a text; a row opens the span in
// the timeline. At most MAX_ROWS rows are drawn at once (a filter narrows a bigger trace).
import { h, mount } from './dom.ts';
import { formatDuration } from './format.ts';
import { selfTimes } from './trace-stats.ts';
import type { SpanNode, TraceTree } from './trace-model.ts';

const MAX_ROWS = 1000;

interface Col {
  readonly key: string;
  readonly label: string;
  readonly value: (n: SpanNode) => string | number;
  readonly text?: (n: SpanNode) => string;
}

/** The spans table of a trace; `select` receives the span id of a clicked row. */
export function renderSpansTable(tree: TraceTree, select: (spanId: string) => void): HTMLElement {
  const self = selfTimes(tree);
  const cols: readonly Col[] = [
    { key: 'service', label: 'Service', value: (n) => n.service },
    { key: 'operation', label: 'Operation', value: (n) => n.span.operationName },
    { key: 'id', label: 'Span ID', value: (n) => n.span.spanID },
    {
      key: 'start',
      label: 'Start',
      value: (n) => n.span.startTime,
      text: (n) => formatDuration(n.span.startTime - tree.startUs),
    },
    { key: 'duration', label: 'Duration', value: (n) => n.span.duration, text: (n) => formatDuration(n.span.duration) },
    {
      key: 'self',
      label: 'Self time',
      value: (n) => self.get(n.span.spanID) ?? 0,
      text: (n) => formatDuration(self.get(n.span.spanID) ?? 0),
    },
    { key: 'error', label: 'Error', value: (n) => (n.isError ? 1 : 0), text: (n) => (n.isError ? 'error' : '') },
  ];
  let sortKey = 'start';
  let descending = false;
  const filter = h('input', {
    type: 'search',
    class: 'table-filter',
    placeholder: 'Filter spans…',
    'aria-label': 'Filter spans',
  });
  const head = h('tr', {});
  const body = h('tbody', {});
  const note = h('p', { class: 'muted table-note' });
  const draw = (): void => {
    const needle = filter.value.trim().toLowerCase();
    const col = cols.find((c) => c.key === sortKey) ?? cols[0];
    const list = tree.ordered.filter(
      (n) =>
        needle === '' ||
        cols.some((c) =>
          String(c.text?.(n) ?? c.value(n))
            .toLowerCase()
            .includes(needle),
        ),
    );
    if (col) list.sort((a, b) => compare(col.value(a), col.value(b)) * (descending ? -1 : 1));
    mount(body, ...list.slice(0, MAX_ROWS).map((n) => row(n, cols, select)));
    note.textContent =
      list.length > MAX_ROWS
        ? `Showing ${MAX_ROWS} of ${list.length} spans: filter to narrow.`
        : `${list.length} spans`;
    mount(
      head,
      ...cols.map((c) => headCell(c, c.key === sortKey ? (descending ? 'descending' : 'ascending') : undefined)),
    );
  };
  const headCell = (c: Col, sort: string | undefined): HTMLElement => {
    const b = h('button', { type: 'button', class: 'sort' }, c.label, sort ? (sort === 'ascending' ? ' ▴' : ' ▾') : '');
    b.addEventListener('click', () => {
      descending = sortKey === c.key ? !descending : false;
      sortKey = c.key;
      draw();
    });
    return h('th', { 'data-col': c.key, 'aria-sort': sort ?? 'none' }, b);
  };
  filter.addEventListener('input', draw);
  draw();
  return h(
    'div',
    { class: 'spans-table-view' },
    h('div', { class: 'table-tools' }, filter, note),
    h('div', { class: 'panel-scroll' }, h('table', { class: 'kv spans-table' }, h('thead', {}, head), body)),
  );
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function row(n: SpanNode, cols: readonly Col[], select: (spanId: string) => void): HTMLElement {
  const tr = h(
    'tr',
    { class: n.isError ? 'err' : '', 'data-span-id': n.span.spanID, tabindex: 0 },
    ...cols.map((c) =>
      h(
        'td',
        { class: typeof c.value(n) === 'number' ? 'num' : c.key === 'id' ? 'mono' : '' },
        c.key === 'service' ? h('span', { class: 'svc-mark', style: `background:${n.color}` }) : null,
        c.text?.(n) ?? String(c.value(n)),
      ),
    ),
  );
  const open = (): void => {
    select(n.span.spanID);
  };
  tr.addEventListener('click', open);
  tr.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') open();
  });
  return tr;
}
