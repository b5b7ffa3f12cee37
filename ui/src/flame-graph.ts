// The flame graph view: each span a frame under its parent, as wide as its duration on the trace's
// time axis (an icicle: roots on top). A click focuses a frame (its time fills the width); "Show in
// timeline" opens the focused span there. Frames too narrow to see are not drawn, and at most MAX_FRAMES.
import { h, mount } from './dom.ts';
import { formatDuration } from './format.ts';
import type { SpanNode, TraceTree } from './trace-model.ts';

const FRAME_PX = 22;
/** Frames drawn at most: the widest (shallowest first) win; the rest are summarised in a note. */
const MAX_FRAMES = 2500;

/** The flame graph of a trace; `select` opens a span in the timeline. */
export function renderFlameGraph(tree: TraceTree, select: (spanId: string) => void): HTMLElement {
  const canvas = h('div', { class: 'flame-canvas' });
  const info = h('div', { class: 'flame-info muted' }, 'Click a frame to focus it.');
  const reset = h('button', { type: 'button', class: 'flame-reset', hidden: true }, 'Reset focus');
  const open = h('button', { type: 'button', class: 'flame-open', hidden: true }, 'Show in timeline');
  let focus: SpanNode | undefined;
  const draw = (): void => {
    const from = focus ? focus.span.startTime : tree.startUs;
    const span = Math.max(1, focus ? focus.span.duration : tree.endUs - tree.startUs);
    const minDepth = focus ? focus.depth : 0;
    // Under 1.5 px a frame cannot be seen or clicked (the width is a guess before the view is shown).
    const minWidth = 1.5 / Math.max(300, canvas.clientWidth || 1200);
    const frames: HTMLElement[] = [];
    let skipped = 0;
    for (const node of tree.ordered) {
      const left = (node.span.startTime - from) / span;
      const width = node.span.duration / span;
      if (node.depth < minDepth || left >= 1 || left + width <= 0) continue;
      if (focus && !isWithin(node, focus, tree)) continue;
      if (width < minWidth || frames.length >= MAX_FRAMES) {
        skipped++;
        continue;
      }
      frames.push(frame(node, Math.max(0, left), Math.min(1, left + width) - Math.max(0, left), node.depth - minDepth));
    }
    const depth = frames.reduce((m, f) => Math.max(m, Number(f.dataset['row'])), 0);
    canvas.style.height = `${(depth + 1) * FRAME_PX}px`;
    mount(canvas, ...frames);
    reset.hidden = focus === undefined;
    open.hidden = focus === undefined;
    info.textContent = `${frames.length} frames${skipped > 0 ? `, ${skipped} too narrow to draw` : ''}${
      focus ? ` · focused on ${focus.service}: ${focus.span.operationName}` : ''
    }`;
  };
  const frame = (node: SpanNode, left: number, width: number, row: number): HTMLElement => {
    const el = h(
      'div',
      {
        class: `flame-frame${node.isError ? ' err' : ''}`,
        'data-span-id': node.span.spanID,
        'data-row': row,
        title: `${node.service}: ${node.span.operationName} (${formatDuration(node.span.duration)})`,
        style: `left:${left * 100}%;width:${width * 100}%;top:${row * FRAME_PX}px;background:${node.color}`,
      },
      `${node.service}: ${node.span.operationName}`,
    );
    el.addEventListener('click', () => {
      focus = node;
      draw();
    });
    return el;
  };
  reset.addEventListener('click', () => {
    focus = undefined;
    draw();
  });
  open.addEventListener('click', () => {
    if (focus) select(focus.span.spanID);
  });
  draw();
  return h('div', { class: 'flame-view' }, h('div', { class: 'table-tools' }, reset, open, info), canvas);
}

/** Whether `node` is `focus` or below it. */
function isWithin(node: SpanNode, focus: SpanNode, tree: TraceTree): boolean {
  for (let n: SpanNode | undefined = node; n; n = n.parentId === undefined ? undefined : tree.byId.get(n.parentId)) {
    if (n === focus) return true;
    if (n.depth <= focus.depth) return false;
  }
  return false;
}
