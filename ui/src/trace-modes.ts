// The trace page's view switcher (Jaeger UI's trace page menu): timeline, graph, statistics, spans
// table and flame graph. A view is built the first time its tab is opened, then kept, so opening a
// 10,000-span trace costs only the timeline.
import { h } from './dom.ts';

/** The views of a trace, in tab order, with their labels. */
export const TRACE_MODES = [
  ['timeline', 'Timeline'],
  ['graph', 'Graph'],
  ['statistics', 'Statistics'],
  ['table', 'Spans table'],
  ['flamegraph', 'Flame graph'],
] as const;
export type TraceMode = (typeof TRACE_MODES)[number][0];

/** A mode name from the URL, or the timeline. */
export function parseMode(text: string | null): TraceMode {
  return TRACE_MODES.find(([m]) => m === text)?.[0] ?? 'timeline';
}

/** The tabs, the area the current view shows in, and a call to switch views. */
export interface ModeSwitch {
  readonly tabs: HTMLElement;
  readonly body: HTMLElement;
  readonly show: (mode: TraceMode) => void;
  readonly current: () => TraceMode;
}

/** Builds the switcher; `build` makes a view the first time it is shown, `onShow` hears every switch. */
export function createModeSwitch(
  build: (mode: TraceMode) => HTMLElement,
  onShow: (mode: TraceMode) => void,
): ModeSwitch {
  const built = new Map<TraceMode, HTMLElement>();
  const body = h('div', { class: 'trace-body' });
  const buttons = TRACE_MODES.map(([mode, label]) => {
    const b = h('button', { type: 'button', role: 'tab', class: 'mode-tab', 'data-mode': mode }, label);
    b.addEventListener('click', () => {
      show(mode);
    });
    return b;
  });
  let mode: TraceMode = 'timeline';
  const show = (next: TraceMode): void => {
    mode = next;
    let view = built.get(next);
    if (!view) {
      view = h('div', { class: 'trace-mode', 'data-mode': next }, build(next));
      built.set(next, view);
      body.append(view);
    }
    for (const [m, v] of built) v.hidden = m !== next;
    for (const b of buttons) b.setAttribute('aria-selected', String(b.dataset['mode'] === next));
    onShow(next);
  };
  return { tabs: h('div', { class: 'mode-tabs', role: 'tablist' }, ...buttons), body, show, current: () => mode };
}

/** Sets (or removes, for '' / undefined) a query parameter of the current URL without a history entry. */
export function replaceParam(key: string, value: string | undefined): void {
  const url = new URL(location.href);
  if (value === undefined || value === '') url.searchParams.delete(key);
  else url.searchParams.set(key, value);
  if (url.href !== location.href) history.replaceState(null, '', url.pathname + url.search + url.hash);
}
