// Comparing two traces (/trace/{a}...{b}, Jaeger UI's trace diff): both traces aggregated into one graph
// by (service, operation) path; each node shows its span count in A and in B and is coloured by the
// change (added in B, removed from A, more, fewer, same), with a count of each kind above it.
import { appUrl } from './base.ts';
import { fetchTrace, type Trace } from './api.ts';
import { errorBox, h, mount } from './dom.ts';
import { formatDuration } from './format.ts';
import { aggregateGraph, diffKind, type DiffKind } from './trace-graph-model.ts';
import { renderDiffGraph } from './trace-graph.ts';
import { buildTree, summarize } from './trace-model.ts';
import { uploadedTrace } from './uploaded.ts';

const KINDS: readonly (readonly [DiffKind, string])[] = [
  ['added', 'only in B'],
  ['removed', 'only in A'],
  ['more', 'more in B'],
  ['less', 'fewer in B'],
  ['same', 'same'],
];

/** Loads both traces and shows their comparison. */
export function renderCompare(app: HTMLElement, a: string, b: string): void {
  mount(app, h('p', { class: 'muted pad' }, `Loading traces ${a} and ${b}…`));
  document.title = `Compare ${a.slice(0, 7)} and ${b.slice(0, 7)} · telegate traces`;
  const load = (id: string): Promise<Trace> => {
    const local = uploadedTrace(id);
    return local ? Promise.resolve(local) : fetchTrace(id);
  };
  void Promise.all([load(a), load(b)]).then(
    ([ta, tb]) => {
      showCompare(app, ta, tb);
    },
    (err: unknown) => {
      mount(app, h('div', { class: 'pad' }, errorBox('Could not load the traces to compare', err)));
    },
  );
}

function showCompare(app: HTMLElement, a: Trace, b: Trace): void {
  const graph = aggregateGraph([buildTree(a), buildTree(b)]);
  const tally = new Map<DiffKind, number>();
  for (const n of graph.nodes) tally.set(diffKind(n), (tally.get(diffKind(n)) ?? 0) + 1);
  mount(
    app,
    h(
      'div',
      { class: 'trace-page compare-page' },
      h(
        'div',
        { class: 'trace-head' },
        h('h1', {}, 'Compare traces'),
        h('div', { class: 'compare-sides' }, side('A', a), side('B', b)),
        h(
          'div',
          { class: 'legend diff-legend' },
          ...KINDS.map(([kind, text]) =>
            h('span', { class: `chip diff-${kind}`, 'data-kind': kind }, `${text}: ${tally.get(kind) ?? 0}`),
          ),
        ),
      ),
      renderDiffGraph(graph),
    ),
  );
}

function side(label: string, t: Trace): HTMLElement {
  const sum = summarize(t);
  return h(
    'div',
    { class: 'compare-side', 'data-side': label },
    h('strong', {}, `${label}: `),
    h('a', { href: appUrl(`/trace/${t.traceID}`), 'data-link': true }, sum.name),
    h('span', { class: 'muted' }, ` · ${sum.spanCount} spans · ${formatDuration(sum.durationUs)} · `),
    h('span', { class: 'mono muted' }, t.traceID),
  );
}
