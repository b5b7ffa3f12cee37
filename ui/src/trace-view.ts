// The trace page (/trace/{id}?uiFind=…&view=…): a summary header, the view switcher (timeline, graph,
// statistics, spans table, flame graph), find with next / previous (kept in the URL as Jaeger UI's
// `uiFind`), and the timeline's controls (expand/collapse, critical path), JSON download.
import { appUrl } from './base.ts';
import { fetchTrace, type Trace } from './api.ts';
import { errorBox, h, mount } from './dom.ts';
import { renderFlameGraph } from './flame-graph.ts';
import { formatDuration, formatTime } from './format.ts';
import { renderSpansTable } from './spans-table.ts';
import { renderStats } from './stats-view.ts';
import { createTimeline, type Timeline } from './timeline.ts';
import { renderTraceGraph } from './trace-graph.ts';
import { createModeSwitch, parseMode, replaceParam, type TraceMode } from './trace-modes.ts';
import { buildTree, summarize, type TraceTree } from './trace-model.ts';
import { uploadedTrace } from './uploaded.ts';

/** Loads and shows a trace by id (an uploaded JSON file's trace first, else the query API's). */
export function renderTrace(app: HTMLElement, id: string, params: URLSearchParams): void {
  mount(app, h('p', { class: 'muted pad' }, `Loading trace ${id}…`));
  document.title = `${id.slice(0, 7)} · telegate traces`;
  const local = uploadedTrace(id);
  void (local ? Promise.resolve(local) : fetchTrace(id)).then(
    (trace) => {
      showTrace(app, trace, params);
    },
    (err: unknown) => {
      mount(
        app,
        h(
          'div',
          { class: 'pad' },
          errorBox(`Could not load trace ${id}`, err),
          h('p', {}, h('a', { href: appUrl('/search'), 'data-link': true }, '← Back to search')),
        ),
      );
    },
  );
}

function showTrace(app: HTMLElement, trace: Trace, params: URLSearchParams): void {
  const tree = buildTree(trace);
  const sum = summarize(trace);
  document.title = `${sum.name} · telegate traces`;
  let timeline: Timeline | undefined;
  const tl = (): Timeline => (timeline ??= createTimeline(tree));
  const timelineTools = timelineControls(tl);
  const select = (spanId: string): void => {
    modes.show('timeline');
    tl().reveal(spanId, true);
  };
  const modes = createModeSwitch(
    (mode) => buildView(mode, tree, tl, select),
    (mode) => {
      timelineTools.hidden = mode !== 'timeline';
      replaceParam('view', mode === 'timeline' ? undefined : mode);
    },
  );
  const find = findControls(tl, () => {
    if (modes.current() !== 'timeline') modes.show('timeline');
  });
  mount(
    app,
    h(
      'div',
      { class: 'trace-page' },
      h(
        'div',
        { class: 'trace-head' },
        h(
          'h1',
          {},
          h('span', { class: 'swatch', style: `background:${tree.colors.get(sum.rootService) ?? '#1f77b4'}` }),
          sum.name,
          h('span', { class: 'trace-id mono' }, trace.traceID),
        ),
        facts(tree, sum),
        h(
          'div',
          { class: 'toolbar' },
          modes.tabs,
          timelineTools,
          find.el,
          h('span', { class: 'spacer' }),
          downloadButton(trace),
          h(
            'a',
            { href: appUrl(`/api/traces/${trace.traceID}`), target: '_blank', rel: 'noopener', class: 'button' },
            'Raw JSON',
          ),
        ),
        legend(tree, sum.services),
      ),
      modes.body,
    ),
  );
  modes.show(parseMode(params.get('view')));
  find.start(params.get('uiFind') ?? '');
}

function buildView(mode: TraceMode, tree: TraceTree, tl: () => Timeline, select: (id: string) => void): HTMLElement {
  if (mode === 'graph') return renderTraceGraph(tree, select);
  if (mode === 'statistics') return renderStats(tree);
  if (mode === 'table') return renderSpansTable(tree, select);
  if (mode === 'flamegraph') return renderFlameGraph(tree, select);
  return tl().el;
}

function button(text: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, text);
  b.addEventListener('click', onClick);
  return b;
}

function timelineControls(tl: () => Timeline): HTMLElement {
  const cpToggle = h('input', { type: 'checkbox', checked: true });
  cpToggle.addEventListener('change', () => {
    tl().setCriticalPath(cpToggle.checked);
  });
  return h(
    'span',
    { class: 'tool-group' },
    button('Expand all', () => {
      tl().expandAll();
    }),
    button('Collapse all', () => {
      tl().collapseAll();
    }),
    h('label', { class: 'inline cp-toggle' }, cpToggle, ' Critical path'),
  );
}

/** The find box with previous / next; the text is kept in the URL as `uiFind`. */
function findControls(tl: () => Timeline, toTimeline: () => void): { el: HTMLElement; start: (text: string) => void } {
  const count = h('span', { class: 'find-count muted' });
  const box = h('input', {
    type: 'search',
    class: 'find',
    placeholder: 'Find in trace…',
    'aria-label': 'Find in trace',
  });
  let total = 0;
  const run = (): void => {
    const text = box.value;
    toTimeline();
    total = tl().find(text);
    replaceParam('uiFind', text.trim());
    count.textContent = text.trim() === '' ? '' : `${total} match${total === 1 ? '' : 'es'}`;
  };
  const step = (delta: number): void => {
    if (total === 0) return;
    toTimeline();
    const i = tl().findStep(delta);
    count.textContent = `${i + 1} of ${total}`;
  };
  box.addEventListener('input', run);
  box.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    step(e.shiftKey ? -1 : 1);
  });
  const el = h(
    'span',
    { class: 'tool-group find-group' },
    box,
    button(
      '‹',
      () => {
        step(-1);
      },
      { class: 'find-prev', title: 'Previous match (Shift+Enter)', 'aria-label': 'Previous match' },
    ),
    button(
      '›',
      () => {
        step(1);
      },
      { class: 'find-next', title: 'Next match (Enter)', 'aria-label': 'Next match' },
    ),
    count,
  );
  const start = (text: string): void => {
    if (text.trim() === '') return;
    box.value = text;
    run();
    step(1);
  };
  return { el, start };
}

function facts(tree: TraceTree, sum: ReturnType<typeof summarize>): HTMLElement {
  const item = (k: string, v: string, cls = ''): HTMLElement =>
    h('div', { class: `fact ${cls}` }, h('span', {}, k), h('strong', {}, v));
  return h(
    'div',
    { class: 'facts-row' },
    item('Start', formatTime(tree.startUs)),
    item('Duration', formatDuration(sum.durationUs)),
    item('Services', String(sum.services.length)),
    item('Depth', String(tree.maxDepth + 1)),
    item('Spans', String(sum.spanCount)),
    item('Errors', String(sum.errorCount), sum.errorCount > 0 ? 'err' : ''),
  );
}

function legend(tree: TraceTree, services: ReturnType<typeof summarize>['services']): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    ...services.map((s) =>
      h(
        'span',
        { class: 'chip', 'data-service': s.name, style: `border-left-color:${tree.colors.get(s.name) ?? '#1f77b4'}` },
        `${s.name} (${s.count})`,
      ),
    ),
  );
}

/** Saves the trace in the API's own envelope, which Jaeger UI (and this UI's upload) can open again. */
function downloadButton(trace: Trace): HTMLButtonElement {
  return button(
    'Download JSON',
    () => {
      const blob = new Blob([JSON.stringify({ data: [trace] }, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `trace-${trace.traceID}.json` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => {
        URL.revokeObjectURL(url);
      }, 1000);
    },
    { title: 'Save this trace as Jaeger JSON' },
  );
}
