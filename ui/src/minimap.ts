// The trace minimap (as Jaeger UI's): every span drawn as a thin bar over the whole trace's time, the
// visible window outlined, and drag-to-zoom on it. Drawn on a canvas, so a 10,000-span trace costs one
// pass over its spans and no DOM nodes per span.
import { h } from './dom.ts';
import { wireDrag } from './timeline-header.ts';
import type { ViewWindow } from './timeline-row.ts';
import type { TraceTree } from './trace-model.ts';

const HEIGHT_PX = 56;

/** A minimap and the call that moves its outline to the timeline's window. */
export interface Minimap {
  readonly el: HTMLElement;
  readonly setView: (view: ViewWindow) => void;
}

/** Builds the minimap of `tree`; dragging over it calls `zoom` with the chosen window. */
export function createMinimap(tree: TraceTree, zoom: (next: ViewWindow) => void): Minimap {
  const canvas = h('canvas', { class: 'mm-canvas', height: HEIGHT_PX });
  const outline = h('div', { class: 'mm-view' });
  const box = h('div', { class: 'mm-box', title: 'Drag to zoom into a time range' }, canvas, outline);
  const el = h('div', { class: 'minimap', 'aria-label': 'Trace minimap' }, box);
  const total = Math.max(1, tree.endUs - tree.startUs);
  let drawnWidth = 0;
  const draw = (): void => {
    const width = Math.round(box.clientWidth * (window.devicePixelRatio || 1));
    if (width === 0 || width === drawnWidth) return;
    drawnWidth = width;
    canvas.width = width;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const rowPx = HEIGHT_PX / Math.max(1, tree.ordered.length);
    tree.ordered.forEach((node, i) => {
      ctx.fillStyle = node.color;
      const x = ((node.span.startTime - tree.startUs) / total) * width;
      const w = Math.max(1, (node.span.duration / total) * width);
      ctx.fillRect(x, i * rowPx, w, Math.max(1, rowPx));
    });
  };
  const resize = new ResizeObserver(() => {
    if (box.isConnected) draw();
    else resize.disconnect();
  });
  resize.observe(box);
  wireDrag(box, (a, b) => {
    zoom({ startUs: tree.startUs + a * total, endUs: tree.startUs + b * total });
  });
  return {
    el,
    setView: (view) => {
      const from = Math.max(0, (view.startUs - tree.startUs) / total);
      const to = Math.min(1, (view.endUs - tree.startUs) / total);
      outline.style.left = `${from * 100}%`;
      outline.style.width = `${Math.max(0, to - from) * 100}%`;
      el.classList.toggle('zoomed', from > 0 || to < 1);
    },
  };
}
