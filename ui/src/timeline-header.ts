// The timeline's header: time ticks for the visible window, and drag-to-zoom over the ticks
// (as Jaeger UI's minimap does), with a button back to the whole trace.
import { h } from './dom.ts';
import { formatDuration } from './format.ts';
import type { ViewWindow } from './timeline-row.ts';

/** Builds the header for `view` within a trace starting at `traceStartUs`; `zoom` receives a new window. */
export function renderHeader(
  view: ViewWindow,
  traceStartUs: number,
  isZoomed: boolean,
  zoom: (next: ViewWindow | undefined) => void,
): HTMLElement {
  const total = view.endUs - view.startUs;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) =>
    h('span', { class: 'tick', style: `left:${f * 100}%` }, formatDuration(view.startUs - traceStartUs + total * f)),
  );
  const bars = h('div', { class: 'tl-bars zoomable', title: 'Drag to zoom into a time range' }, ...ticks);
  const reset = h('button', { type: 'button', class: 'reset-zoom' }, 'Reset zoom');
  reset.addEventListener('click', () => {
    zoom(undefined);
  });
  wireDrag(bars, (a, b) => {
    zoom({ startUs: view.startUs + a * total, endUs: view.startUs + b * total });
  });
  return h(
    'div',
    { class: 'tl-header' },
    h('div', { class: 'tl-name' }, 'Service & operation', isZoomed ? reset : null),
    bars,
  );
}

/** Calls `done(from, to)` (fractions of the width) after a drag of more than 1% of it. */
export function wireDrag(el: HTMLElement, done: (from: number, to: number) => void): void {
  el.addEventListener('pointerdown', (down) => {
    const box = el.getBoundingClientRect();
    const frac = (x: number): number => Math.min(1, Math.max(0, (x - box.left) / box.width));
    const a = frac(down.clientX);
    const shade = h('div', { class: 'zoom-shade' });
    el.append(shade);
    el.setPointerCapture(down.pointerId);
    const move = (e: PointerEvent): void => {
      const b = frac(e.clientX);
      shade.style.left = `${Math.min(a, b) * 100}%`;
      shade.style.width = `${Math.abs(b - a) * 100}%`;
    };
    const up = (e: PointerEvent): void => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      shade.remove();
      const b = frac(e.clientX);
      if (Math.abs(b - a) > 0.01) done(Math.min(a, b), Math.max(a, b));
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  });
}
