// The trace page (/trace/{id}): a summary header, controls (expand/collapse, critical path, JSON
// download) and the timeline with span details.
import { appUrl } from './base.ts';
import { fetchTrace, type Trace } from './api.ts';
import { errorBox, h, mount } from './dom.ts';
import { formatDuration, formatTime, serviceColor } from './format.ts';
import { createTimeline } from './timeline.ts';
import { buildTree, summarize, type TraceTree } from './trace-model.ts';

/** Loads and shows a trace by id. */
export function renderTrace(app: HTMLElement, id: string): void {
  mount(app, h('p', { class: 'muted pad' }, `Loading trace ${id}…`));
  document.title = `${id.slice(0, 7)} · telegate traces`;
  void fetchTrace(id).then(
    (trace) => {
      showTrace(app, trace);
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

function showTrace(app: HTMLElement, trace: Trace): void {
  const tree = buildTree(trace);
  const sum = summarize(trace);
  document.title = `${sum.name} · telegate traces`;
  const timeline = createTimeline(tree);
  const cpToggle = h('input', { type: 'checkbox', checked: true });
  cpToggle.addEventListener('change', () => {
    timeline.setCriticalPath(cpToggle.checked);
  });
  const findCount = h('span', { class: 'find-count muted' });
  const findBox = h('input', {
    type: 'search',
    class: 'find',
    placeholder: 'Find in trace…',
    'aria-label': 'Find in trace',
  });
  findBox.addEventListener('input', () => {
    const n = timeline.find(findBox.value);
    findCount.textContent = findBox.value.trim() === '' ? '' : `${n} match${n === 1 ? '' : 'es'}`;
  });
  const btn = (text: string, onClick: () => void, title = ''): HTMLButtonElement => {
    const b = h('button', { type: 'button', title }, text);
    b.addEventListener('click', onClick);
    return b;
  };
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
          h('span', { class: 'swatch', style: `background:${serviceColor(sum.rootService)}` }),
          sum.name,
          h('span', { class: 'trace-id mono' }, trace.traceID),
        ),
        facts(tree, sum),
        h(
          'div',
          { class: 'toolbar' },
          btn('Expand all', timeline.expandAll),
          btn('Collapse all', timeline.collapseAll),
          h('label', { class: 'inline cp-toggle' }, cpToggle, ' Critical path'),
          findBox,
          findCount,
          h('span', { class: 'spacer' }),
          btn(
            'Download JSON',
            () => {
              downloadJson(trace);
            },
            'Save this trace as Jaeger JSON',
          ),
          h(
            'a',
            { href: appUrl(`/api/traces/${trace.traceID}`), target: '_blank', rel: 'noopener', class: 'button' },
            'Raw JSON',
          ),
        ),
        legend(sum.services),
      ),
      timeline.el,
    ),
  );
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

function legend(services: ReturnType<typeof summarize>['services']): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    ...services.map((s) =>
      h('span', { class: 'chip', style: `border-left-color:${serviceColor(s.name)}` }, `${s.name} (${s.count})`),
    ),
  );
}

/** Saves the trace in the API's own envelope, which Jaeger UI can open again. */
function downloadJson(trace: Trace): void {
  const blob = new Blob([JSON.stringify({ data: [trace] }, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: `trace-${trace.traceID}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 1000);
}
