// The trace timeline: one row per span (timeline-row.ts) under a minimap and a zoomable header
// (timeline-header.ts) with a resizable name column, span details opened under their row, and find
// within the trace with next / previous. Rows are virtualised: only those in view are in the DOM, so a
// trace of 10,000 spans scrolls as fast as one of ten.
import { h } from './dom.ts';
import { createMinimap } from './minimap.ts';
import { savedNameWidth, setNameWidth, wireNameResizer } from './name-resizer.ts';
import { renderSpanDetail } from './span-detail.ts';
import { renderHeader } from './timeline-header.ts';
import { renderRow, type ViewWindow } from './timeline-row.ts';
import { findSpans, REVEAL_EVENT, stepMatch } from './timeline-find.ts';
import { criticalPath, type SpanNode, type TraceTree } from './trace-model.ts';

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
  /** Highlights spans matching `text` (service, operation, span id, tag key or value); returns the count. */
  readonly find: (text: string) => number;
  /** Moves to the next (+1) or previous (−1) match; returns its index, −1 when there is none. */
  readonly findStep: (delta: number) => number;
  /** Scrolls to a span (opening its ancestors) and marks it current; `open` also shows its details. */
  readonly reveal: (spanId: string, open?: boolean) => void;
}

/** Builds the timeline for a trace. */
export function createTimeline(tree: TraceTree): Timeline {
  const collapsed = new Set<string>();
  const open = new Set<string>();
  const detailPx = new Map<string, number>();
  const cp = criticalPath(tree);
  const whole: ViewWindow = { startUs: tree.startUs, endUs: Math.max(tree.endUs, tree.startUs + 1) };
  let view = whole;
  let showCp = true;
  let matches: Set<string> | undefined;
  let matchList: string[] = [];
  let matchIndex = -1;
  let current: string | undefined;
  let items: Item[] = [];
  let offsets: number[] = [];
  const canvas = h('div', { class: 'tl-canvas' });
  const scroller = h('div', { class: 'tl-scroll' }, canvas);
  const el = h('div', { class: 'timeline' });
  const saved = savedNameWidth();
  if (saved !== undefined) setNameWidth(el, saved);

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
      const node = it.detail ? renderSpanDetail(it.node, tree) : row(it.node);
      node.style.top = `${offsets[i] ?? 0}px`;
      if (it.detail) {
        node.classList.add('tl-detail');
        measure.push([node, it.node.span.spanID]);
      }
      nodes.push(node);
    }
    const focused = focusedRow();
    canvas.replaceChildren(...nodes);
    if (focused) refocus(...focused);
    let changed = false;
    for (const [node, id] of measure) {
      const px = node.offsetHeight;
      if (px > 0 && px !== detailPx.get(id)) {
        detailPx.set(id, px);
        changed = true;
      }
    }
    if (changed) layout();
  };
  const row = (node: SpanNode): HTMLElement =>
    renderRow(node, view, showCp ? cp : undefined, {
      isCollapsed: collapsed.has(node.span.spanID),
      isOpen: open.has(node.span.spanID),
      isMatch: matches ? matches.has(node.span.spanID) : undefined,
      isCurrent: current === node.span.spanID,
      toggleChildren: () => {
        toggle(collapsed, node.span.spanID);
        rebuild();
      },
      toggleDetail: () => {
        toggle(open, node.span.spanID);
        rebuild();
      },
    });
  // Rows are redrawn on every change and scroll; keyboard users keep their place on the row they were on.
  const focusedRow = (): [string, string] | undefined => {
    const active = document.activeElement;
    const rowEl = active instanceof HTMLElement && canvas.contains(active) ? active.closest('.tl-row') : null;
    const id = rowEl?.getAttribute('data-span-id');
    if (!id || !active) return undefined;
    return [id, active.classList.contains('tg') ? '.tg' : ''];
  };
  const refocus = (spanId: string, inner: string): void => {
    const rowEl = canvas.querySelector<HTMLElement>(`.tl-row[data-span-id="${CSS.escape(spanId)}"]`);
    const target = inner === '' ? rowEl : rowEl?.querySelector<HTMLElement>(inner);
    target?.focus({ preventScroll: true });
  };
  const zoom = (next: ViewWindow | undefined): void => {
    view = next ?? whole;
    drawHeader();
    paint();
  };
  const minimap = createMinimap(tree, zoom);
  const drawHeader = (): void => {
    const header = renderHeader(view, tree.startUs, view !== whole, zoom);
    const handle = h('span', {
      class: 'name-resize',
      role: 'separator',
      tabindex: 0,
      'aria-orientation': 'vertical',
      'aria-label': 'Resize the name column',
      title: 'Drag to resize the name column',
    });
    wireNameResizer(handle, el);
    header.querySelector('.tl-name')?.append(handle);
    minimap.setView(view);
    el.replaceChildren(minimap.el, header, scroller);
  };
  const reveal = (spanId: string, openDetail = false): void => {
    if (!tree.byId.has(spanId)) return;
    for (let p = tree.byId.get(spanId)?.parentId; p !== undefined; p = tree.byId.get(p)?.parentId) collapsed.delete(p);
    if (openDetail) open.add(spanId);
    current = spanId;
    rebuild();
    const i = items.findIndex((it) => !it.detail && it.node.span.spanID === spanId);
    const y = offsets[i] ?? 0;
    if (y < scroller.scrollTop || y + ROW_PX > scroller.scrollTop + scroller.clientHeight)
      scroller.scrollTop = Math.max(0, y - scroller.clientHeight / 3);
    paint();
  };
  el.addEventListener(REVEAL_EVENT, (e) => {
    if (e instanceof CustomEvent && typeof e.detail === 'string') reveal(e.detail, true);
  });

  let frame = 0;
  scroller.addEventListener('scroll', () => {
    if (frame === 0)
      frame = requestAnimationFrame(() => {
        frame = 0;
        paint();
      });
  });
  // The scroller's height is known only once it is in the document; when the page moves on and the
  // timeline leaves the document, the observer lets it go.
  const resize = new ResizeObserver(() => {
    if (scroller.isConnected) paint();
    else resize.disconnect();
  });
  resize.observe(scroller);

  drawHeader();
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
    find: (text) => {
      matchList = findSpans(tree, text);
      matches = text.trim() === '' ? undefined : new Set(matchList);
      matchIndex = -1;
      current = undefined;
      // A match inside a collapsed subtree is shown: its ancestors open up.
      for (const id of matchList) {
        for (let p = tree.byId.get(id)?.parentId; p !== undefined; p = tree.byId.get(p)?.parentId) collapsed.delete(p);
      }
      rebuild();
      return matchList.length;
    },
    findStep: (delta) => {
      matchIndex = stepMatch(matchIndex, delta, matchList.length);
      const id = matchList[matchIndex];
      if (id !== undefined) reveal(id);
      return matchIndex;
    },
    reveal,
  };
}

function toggle(set: Set<string>, id: string): void {
  if (set.has(id)) set.delete(id);
  else set.add(id);
}

/** Index of the last item starting at or before `y` (so a partly visible row is drawn). */
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
