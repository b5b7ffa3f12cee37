// The trace timeline: one row per span (a collapsible tree on the left, a bar to scale on the right,
// the critical path drawn over the bars) and span details opened under their row. Rows are virtualised:
// only those in view are in the DOM, so a trace of 10,000 spans scrolls as fast as one of ten.
import { h } from './dom.ts';
import { formatDuration, serviceColor } from './format.ts';
import { renderSpanDetail } from './span-detail.ts';
import { criticalPath, type CriticalPath, type SpanNode, type TraceTree } from './trace-model.ts';

const ROW_PX = 28;
const DETAIL_GUESS_PX = 320;
const OVERSCAN_PX = 400;

interface Item {
  readonly node: SpanNode;
  readonly detail: boolean;
}

/** A timeline and the controls the trace page needs. */
export interface Timeline {
  readonly el: HTMLElement;
  readonly expandAll: () => void;
  readonly collapseAll: () => void;
  readonly setCriticalPath: (show: boolean) => void;
}

/** Builds the timeline for a trace. */
export function createTimeline(tree: TraceTree): Timeline {
  const collapsed = new Set<string>();
  const open = new Set<string>();
  const detailPx = new Map<string, number>();
  const cp = criticalPath(tree);
  let showCp = true;
  let items: Item[] = [];
  let offsets: number[] = [];
  const canvas = h('div', { class: 'tl-canvas' });
  const scroller = h('div', { class: 'tl-scroll' }, canvas);
  const total = Math.max(1, tree.endUs - tree.startUs);

  const rebuild = (): void => {
    items = [];
    let skipBelow = Infinity;
    for (const node of tree.ordered) {
      if (node.depth > skipBelow) continue;
      skipBelow = collapsed.has(node.span.spanID) ? node.depth : Infinity;
      items.push({ node, detail: false });
      if (open.has(node.span.spanID)) items.push({ node, detail: true });
    }
    layout();
  };
  const layout = (): void => {
    offsets = new Array<number>(items.length + 1);
    let y = 0;
    items.forEach((it, i) => {
      offsets[i] = y;
      y += it.detail ? (detailPx.get(it.node.span.spanID) ?? DETAIL_GUESS_PX) : ROW_PX;
    });
    offsets[items.length] = y;
    canvas.style.height = `${y}px`;
    paint();
  };
  const paint = (): void => {
    const top = scroller.scrollTop - OVERSCAN_PX;
    const bottom = scroller.scrollTop + scroller.clientHeight + OVERSCAN_PX;
    const nodes: HTMLElement[] = [];
    const measure: [HTMLElement, string][] = [];
    for (let i = firstAtOrAfter(offsets, top); i < items.length && (offsets[i] ?? 0) < bottom; i++) {
      const it = items[i] as Item;
      const el = it.detail ? renderSpanDetail(it.node, tree) : row(it.node);
      el.style.top = `${offsets[i] ?? 0}px`;
      if (it.detail) {
        el.classList.add('tl-detail');
        measure.push([el, it.node.span.spanID]);
      }
      nodes.push(el);
    }
    canvas.replaceChildren(...nodes);
    let changed = false;
    for (const [el, id] of measure) {
      const px = el.offsetHeight;
      if (px > 0 && px !== detailPx.get(id)) {
        detailPx.set(id, px);
        changed = true;
      }
    }
    if (changed) layout();
  };
  const row = (node: SpanNode): HTMLElement =>
    renderRow(node, tree, total, showCp ? cp : undefined, {
      isCollapsed: collapsed.has(node.span.spanID),
      isOpen: open.has(node.span.spanID),
      toggleChildren: () => {
        toggle(collapsed, node.span.spanID);
        rebuild();
      },
      toggleDetail: () => {
        toggle(open, node.span.spanID);
        rebuild();
      },
    });

  let frame = 0;
  scroller.addEventListener('scroll', () => {
    if (frame === 0)
      frame = requestAnimationFrame(() => {
        frame = 0;
        paint();
      });
  });
  // The scroller's height is known only once it is in the document.
  // Once the page moves on and the timeline leaves the document, the observer lets it go.
  const resize = new ResizeObserver(() => {
    if (scroller.isConnected) paint();
    else resize.disconnect();
  });
  resize.observe(scroller);

  const el = h('div', { class: 'timeline' }, header(total), scroller);
  rebuild();
  return {
    el,
    expandAll: () => {
      collapsed.clear();
      rebuild();
    },
    collapseAll: () => {
      for (const n of tree.ordered) if (n.children.length > 0) collapsed.add(n.span.spanID);
      rebuild();
    },
    setCriticalPath: (show) => {
      showCp = show;
      paint();
    },
  };
}

function toggle(set: Set<string>, id: string): void {
  if (set.has(id)) set.delete(id);
  else set.add(id);
}

/** Index of the first item whose start is at or after `y`, minus one so a partly visible row shows. */
function firstAtOrAfter(offsets: readonly number[], y: number): number {
  let lo = 0;
  let hi = Math.max(0, offsets.length - 2);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] ?? 0) <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function header(total: number): HTMLElement {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) =>
    h('span', { class: 'tick', style: `left:${f * 100}%` }, formatDuration(total * f)),
  );
  return h(
    'div',
    { class: 'tl-header' },
    h('div', { class: 'tl-name' }, 'Service & operation'),
    h('div', { class: 'tl-bars' }, ...ticks),
  );
}

interface RowState {
  readonly isCollapsed: boolean;
  readonly isOpen: boolean;
  readonly toggleChildren: () => void;
  readonly toggleDetail: () => void;
}

function renderRow(
  node: SpanNode,
  tree: TraceTree,
  total: number,
  cp: CriticalPath | undefined,
  st: RowState,
): HTMLElement {
  const { span } = node;
  const color = serviceColor(node.service);
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
  const left = ((span.startTime - tree.startUs) / total) * 100;
  const width = Math.max((span.duration / total) * 100, 0.15);
  const bar = h('div', { class: 'bar', style: `left:${left}%;width:${width}%;background:${color}` });
  for (const [from, to] of cp?.get(span.spanID) ?? []) {
    const l = ((from - span.startTime) / Math.max(1, span.duration)) * 100;
    const w = ((to - from) / Math.max(1, span.duration)) * 100;
    bar.append(h('div', { class: 'cp', style: `left:${l}%;width:${w}%` }));
  }
  // The duration goes after the bar, else before it, else (a bar spanning the row) inside it.
  const place =
    left + width < 78
      ? `left:calc(${left + width}% + 6px)`
      : left > 12
        ? `right:calc(${100 - left}% + 6px)`
        : `right:calc(${Math.max(0, 100 - left - width)}% + 6px)`;
  const inside = left + width >= 78 && left <= 12;
  const label = h(
    'span',
    { class: `bar-label${inside ? ' inside' : ''}`, style: place },
    formatDuration(span.duration),
  );
  const el = h(
    'div',
    {
      class: `tl-row${st.isOpen ? ' open' : ''}${node.isError ? ' err' : ''}`,
      'data-span-id': span.spanID,
      role: 'button',
      tabindex: 0,
      'aria-expanded': String(st.isOpen),
    },
    h(
      'div',
      {
        class: 'tl-name',
        style: `padding-left:${Math.min(node.depth, 40) * 14 + 4}px`,
        title: `${node.service}: ${span.operationName}`,
      },
      toggleBtn,
      h('span', { class: 'svc-mark', style: `background:${color}` }),
      node.isError ? h('span', { class: 'err-mark', title: 'error' }, '!') : null,
      h('span', { class: 'svc' }, node.service),
      h('span', { class: 'op' }, span.operationName),
      hasKids && st.isCollapsed ? h('span', { class: 'kids' }, `+${node.children.length}`) : null,
    ),
    h('div', { class: 'tl-bars' }, bar, label),
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
