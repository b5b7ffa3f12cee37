// One row of the trace timeline: the span's place in the tree (indent, collapse toggle, service and
// operation) and its bar scaled to the visible time window, with the critical path drawn over it.
import { h } from './dom.ts';
import { formatDuration } from './format.ts';
import type { CriticalPath, SpanNode } from './trace-model.ts';

/** The time window the bars are drawn in (the whole trace, or a zoomed part of it). */
export interface ViewWindow {
  readonly startUs: number;
  readonly endUs: number;
}

/** What a row shows and does beyond its span. */
export interface RowState {
  readonly isCollapsed: boolean;
  readonly isOpen: boolean;
  /** undefined: no search in the trace; else whether this span matches it. */
  readonly isMatch: boolean | undefined;
  /** The span find or a link moved to. */
  readonly isCurrent: boolean;
  readonly toggleChildren: () => void;
  readonly toggleDetail: () => void;
}

/** Renders a span's row. */
export function renderRow(node: SpanNode, view: ViewWindow, cp: CriticalPath | undefined, st: RowState): HTMLElement {
  const { span } = node;
  const color = node.color;
  const cls = [
    'tl-row',
    st.isOpen && 'open',
    node.isError && 'err',
    st.isMatch === true && 'match',
    st.isMatch === false && 'dim',
    st.isCurrent && 'current',
  ];
  const el = h(
    'div',
    {
      class: cls.filter(Boolean).join(' '),
      'data-span-id': span.spanID,
      role: 'button',
      tabindex: 0,
      'aria-expanded': String(st.isOpen),
    },
    nameCell(node, color, st),
    h('div', { class: 'tl-bars' }, ...barAndLabel(node, view, color, cp)),
  );
  el.addEventListener('click', st.toggleDetail);
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      st.toggleDetail();
    }
  });
  return el;
}

function nameCell(node: SpanNode, color: string, st: RowState): HTMLElement {
  const hasKids = node.children.length > 0;
  const toggleBtn = hasKids
    ? h(
        'button',
        {
          class: 'tg',
          type: 'button',
          'aria-expanded': String(!st.isCollapsed),
          title: st.isCollapsed ? 'Expand children' : 'Collapse children',
        },
        st.isCollapsed ? '▸' : '▾',
      )
    : h('span', { class: 'tg-space' });
  toggleBtn.addEventListener('click', (e) => {
    e.stopPropagation();
    if (hasKids) st.toggleChildren();
  });
  return h(
    'div',
    {
      class: 'tl-name',
      style: `padding-left:${Math.min(node.depth, 40) * 14 + 4}px`,
      title: `${node.service}: ${node.span.operationName}`,
    },
    toggleBtn,
    h('span', { class: 'svc-mark', style: `background:${color}` }),
    node.isError ? h('span', { class: 'err-mark', title: 'error' }, '!') : null,
    h('span', { class: 'svc' }, node.service),
    h('span', { class: 'op' }, node.span.operationName),
    hasKids && st.isCollapsed ? h('span', { class: 'kids' }, `+${node.children.length}`) : null,
  );
}

function barAndLabel(node: SpanNode, view: ViewWindow, color: string, cp: CriticalPath | undefined): HTMLElement[] {
  const { span } = node;
  const total = Math.max(1, view.endUs - view.startUs);
  const pct = (us: number): number => ((us - view.startUs) / total) * 100;
  // Clipped to the window: a span partly outside a zoomed window shows only its visible part.
  const from = Math.max(0, pct(span.startTime));
  const to = Math.min(100, pct(span.startTime + span.duration));
  if (to < 0) return [h('span', { class: 'bar-label out', style: 'left:0' }, `◂ ${formatDuration(span.duration)}`)];
  if (from > 100)
    return [h('span', { class: 'bar-label out', style: 'right:0' }, `${formatDuration(span.duration)} ▸`)];
  const width = Math.max(to - from, 0.15);
  const bar = h('div', { class: 'bar', style: `left:${from}%;width:${width}%;background:${color}` });
  for (const [a, b] of cp?.get(span.spanID) ?? []) {
    const l = Math.max(pct(a), from);
    const r = Math.min(pct(b), to);
    if (r <= l) continue;
    bar.append(
      h('div', { class: 'cp', style: `left:${((l - from) / width) * 100}%;width:${((r - l) / width) * 100}%` }),
    );
  }
  // The duration goes after the bar, else before it, else (a bar spanning the row) inside it.
  const end = from + width;
  const inside = end >= 78 && from <= 12;
  const place =
    end < 78
      ? `left:calc(${end}% + 6px)`
      : from > 12
        ? `right:calc(${100 - from}% + 6px)`
        : `right:calc(${Math.max(0, 100 - end)}% + 6px)`;
  const label = h(
    'span',
    { class: `bar-label${inside ? ' inside' : ''}`, style: place },
    formatDuration(span.duration),
  );
  return [bar, label];
}
