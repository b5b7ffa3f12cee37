// The details of one span, shown under its row in the timeline: status, attributes, the resource
// (Jaeger "process") attributes such as k8s.cluster.name, events (Jaeger logs), links and warnings.
import { appUrl } from './base.ts';
import type { KeyValue, Reference } from './api.ts';
import { h } from './dom.ts';
import { formatDuration, formatTime } from './format.ts';
import { REVEAL_EVENT } from './timeline-find.ts';
import { tagValue, type SpanNode, type TraceTree } from './trace-model.ts';

/** The detail panel for a span. */
export function renderSpanDetail(node: SpanNode, tree: TraceTree): HTMLElement {
  const { span } = node;
  const process = tree.trace.processes[span.processID];
  const links = (span.references ?? []).filter((r) => !(r.refType === 'CHILD_OF' && r.spanID === node.parentId));
  return h(
    'div',
    { class: 'span-detail', 'data-span-id': span.spanID },
    h(
      'div',
      { class: 'detail-head' },
      h('strong', {}, span.operationName),
      statusBadge(node),
      h(
        'dl',
        { class: 'facts' },
        fact('Service', node.service),
        fact('Duration', formatDuration(span.duration)),
        fact('Start', `${formatDuration(span.startTime - tree.startUs)} (${formatTime(span.startTime)})`),
        fact('Kind', kindOf(node)),
        fact('Span ID', span.spanID),
      ),
    ),
    section('Attributes', span.tags ?? [], kvTable(span.tags ?? [])),
    section('Resource', process?.tags ?? [], kvTable(process?.tags ?? [])),
    section('Events', span.logs ?? [], eventsList(span.logs ?? [], tree.startUs)),
    section('Links', links, linksList(links, tree)),
    section(
      'Warnings',
      span.warnings ?? [],
      h('ul', { class: 'warnings' }, ...(span.warnings ?? []).map((w) => h('li', {}, w))),
    ),
  );
}

function fact(label: string, value: string): DocumentFragment {
  const f = document.createDocumentFragment();
  f.append(h('dt', {}, label), h('dd', { class: label === 'Span ID' ? 'mono' : '' }, value));
  return f;
}

function kindOf(node: SpanNode): string {
  const kind = tagValue(node.span.tags, 'span.kind');
  return typeof kind === 'string' ? kind : 'internal';
}

function statusBadge(node: SpanNode): HTMLElement {
  const code = tagValue(node.span.tags, 'otel.status_code');
  const desc = tagValue(node.span.tags, 'otel.status_description');
  if (node.isError) {
    const text = `Error${typeof desc === 'string' && desc !== '' ? `: ${desc}` : ''}`;
    return h('span', { class: 'status err', 'data-status': 'error' }, text);
  }
  return h(
    'span',
    { class: 'status ok', 'data-status': code === 'OK' ? 'ok' : 'unset' },
    code === 'OK' ? 'OK' : 'Unset',
  );
}

function section(title: string, items: readonly unknown[], body: HTMLElement): HTMLElement | null {
  if (items.length === 0) return null;
  return h('details', { class: 'detail-section', open: true }, h('summary', {}, `${title} (${items.length})`), body);
}

function formatValue(kv: KeyValue): string {
  if (typeof kv.value === 'string') return kv.value;
  // JSON.stringify gives undefined for a missing value, which its declared type does not say.
  const json = JSON.stringify(kv.value) as string | undefined;
  return json === undefined ? 'undefined' : json;
}

function kvTable(tags: readonly KeyValue[]): HTMLElement {
  const sorted = [...tags].sort((a, b) => a.key.localeCompare(b.key));
  return h(
    'table',
    { class: 'kv' },
    h(
      'tbody',
      {},
      ...sorted.map((t) =>
        h('tr', { 'data-key': t.key }, h('th', {}, t.key), h('td', { class: 'mono' }, formatValue(t))),
      ),
    ),
  );
}

function eventsList(logs: readonly { timestamp: number; fields: readonly KeyValue[] }[], startUs: number): HTMLElement {
  return h(
    'ol',
    { class: 'events' },
    ...logs.map((log) => {
      const name = log.fields.find((f) => f.key === 'event');
      const rest = log.fields.filter((f) => f !== name);
      return h(
        'li',
        {},
        h(
          'div',
          {},
          h('span', { class: 'mono muted' }, `+${formatDuration(log.timestamp - startUs)}`),
          ' ',
          h('strong', {}, name ? formatValue(name) : 'log'),
        ),
        rest.length > 0 ? kvTable(rest) : null,
      );
    }),
  );
}

function linksList(refs: readonly Reference[], tree: TraceTree): HTMLElement {
  return h(
    'ul',
    { class: 'links' },
    ...refs.map((r) =>
      h(
        'li',
        {},
        h('span', { class: 'badge' }, r.refType === 'FOLLOWS_FROM' ? 'link' : 'child of'),
        ' ',
        r.traceID === tree.trace.traceID ? sameTraceLink(r, tree) : otherTraceLink(r),
      ),
    ),
  );
}

/** A reference within the trace: a click shows that span here (Jaeger UI links it with uiFind). */
function sameTraceLink(r: Reference, tree: TraceTree): HTMLElement {
  const target = tree.byId.get(r.spanID);
  const text = target ? `${target.service}: ${target.span.operationName}` : 'span not in this trace';
  const a = h(
    'a',
    { href: appUrl(`/trace/${r.traceID}?uiFind=${r.spanID}`), class: 'span-ref', 'data-ref-span': r.spanID },
    h('span', { class: 'mono' }, `span ${r.spanID}`),
    ` (${text})`,
  );
  a.addEventListener('click', (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    e.stopPropagation();
    a.dispatchEvent(new CustomEvent(REVEAL_EVENT, { bubbles: true, detail: r.spanID }));
  });
  return a;
}

function otherTraceLink(r: Reference): HTMLElement {
  return h(
    'a',
    { href: appUrl(`/trace/${r.traceID}?uiFind=${r.spanID}`), 'data-link': true, class: 'mono' },
    `trace ${r.traceID} · span ${r.spanID}`,
  );
}
