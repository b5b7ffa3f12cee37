// The search page: the query form (service, operation, tags, time range, durations, limit) on the left,
// the matching traces on the right as a duration-over-time scatter plot and a sortable list.
import { appUrl } from './base.ts';
import { fetchOperations, fetchServices, fetchTracesByIds, searchTraces, type Trace } from './api.ts';
import { errorBox, h, mount } from './dom.ts';
import { assignColors, serviceColor } from './colors.ts';
import { formatAgo, formatDuration, formatTime } from './format.ts';
import { navigate } from './router.ts';
import { renderScatter } from './scatter.ts';
import { uploadPanel } from './search-upload.ts';
import { formFromParams, formToParams, LOOKBACKS, toQuery, type SearchForm } from './search-query.ts';
import { summarize, type TraceSummary } from './trace-model.ts';

const SORTS = [
  ['recent', 'Most recent'],
  ['longest', 'Longest first'],
  ['shortest', 'Shortest first'],
  ['spans', 'Most spans'],
] as const;
type Sort = (typeof SORTS)[number][0];

let pending: AbortController | undefined;

/** Renders the search page for the URL's query and runs the search when a service is given. */
export function renderSearch(app: HTMLElement, params: URLSearchParams): void {
  pending?.abort();
  const form = formFromParams(params);
  const results = h('section', { class: 'results', 'aria-live': 'polite' });
  const aside = h('aside', { class: 'search-form' }, h('p', { class: 'muted' }, 'Loading services…'));
  mount(app, h('div', { class: 'search-page' }, aside, results));
  document.title = form.service ? `${form.service} · telegate traces` : 'Search · telegate traces';
  const show = (list: readonly Trace[], note?: string): void => {
    showResults(results, list.map(summarize), note);
  };
  void fillForm(aside, form, show);
  const ids = params.getAll('traceID').filter((id) => id.trim() !== '');
  if (ids.length > 0) void runIdLookup(results, ids);
  else if (form.service === '') mount(results, emptyState());
  else void runSearch(results, form);
}

/** Jaeger UI's `/search?traceID=a&traceID=b`: the listed traces, and which of them the store lacks. */
async function runIdLookup(results: HTMLElement, ids: readonly string[]): Promise<void> {
  mount(results, h('p', { class: 'muted pad' }, 'Looking up traces…'));
  const ctrl = new AbortController();
  pending = ctrl;
  try {
    const { traces, missing } = await fetchTracesByIds(ids, ctrl.signal);
    if (ctrl.signal.aborted) return;
    const note = missing.length > 0 ? `Not found: ${missing.join(', ')}` : undefined;
    showResults(results, traces.map(summarize), note);
  } catch (err) {
    if (!ctrl.signal.aborted) mount(results, errorBox('Trace lookup failed', err));
  }
}

function emptyState(): HTMLElement {
  return h(
    'div',
    { class: 'empty' },
    h('h2', {}, 'Find traces'),
    h('p', {}, 'Choose a service and press Find Traces, or paste a trace ID into the box at the top.'),
  );
}

async function fillForm(
  aside: HTMLElement,
  form: SearchForm,
  show: (list: readonly Trace[], note?: string) => void,
): Promise<void> {
  let services: string[];
  try {
    services = await fetchServices();
  } catch (err) {
    mount(aside, errorBox('Could not load services', err));
    return;
  }
  if (form.service !== '' && !services.includes(form.service)) services.unshift(form.service);
  mount(aside, buildForm(form, services), uploadPanel(show));
  if (form.service !== '') void loadOperations(aside, form.service, form.operation);
}

function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), control, hint ? h('small', {}, hint) : null);
}

function select(name: string, options: readonly (readonly [string, string])[], value: string): HTMLSelectElement {
  const el = h('select', { name, id: `f-${name}` });
  for (const [v, text] of options) el.append(h('option', { value: v, selected: v === value }, text));
  return el;
}

function buildForm(form: SearchForm, services: readonly string[]): HTMLFormElement {
  const service = select(
    'service',
    [['', services.length ? 'Choose a service…' : 'No services yet'], ...services.map((s) => [s, s] as const)],
    form.service,
  );
  const operation = select('operation', [['', 'All operations']], form.operation);
  const lookback = select('lookback', LOOKBACKS, form.lookback);
  const custom = h(
    'div',
    { class: 'custom-range', hidden: form.lookback !== 'custom' },
    field('Start', h('input', { type: 'datetime-local', name: 'start', value: form.start, step: 1 })),
    field('End', h('input', { type: 'datetime-local', name: 'end', value: form.end, step: 1 })),
  );
  const input = (name: keyof SearchForm, placeholder: string): HTMLInputElement =>
    h('input', { name, id: `f-${name}`, value: form[name], placeholder, autocomplete: 'off', spellcheck: 'false' });
  const el = h(
    'form',
    { class: 'stack', 'aria-label': 'Search traces' },
    field('Service', service),
    field('Operation', operation),
    field('Tags', input('tags', 'http.status_code=500 error=true'), 'logfmt: key=value, space separated'),
    field('Lookback', lookback),
    custom,
    h(
      'div',
      { class: 'row2' },
      field('Min duration', input('minDuration', 'e.g. 100ms')),
      field('Max duration', input('maxDuration', 'e.g. 2s')),
    ),
    field(
      'Limit results',
      h('input', { name: 'limit', id: 'f-limit', type: 'number', min: 1, max: 1500, value: form.limit }),
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Find Traces'),
  );
  service.addEventListener('change', () => {
    void loadOperations(el, service.value, '');
  });
  lookback.addEventListener('change', () => {
    custom.hidden = lookback.value !== 'custom';
  });
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate(`/search?${formToParams(readForm(el)).toString()}`);
  });
  return el;
}

function readForm(el: HTMLFormElement): SearchForm {
  const data = new FormData(el);
  const get = (k: string): string => {
    const v = data.get(k);
    return typeof v === 'string' ? v : '';
  };
  return {
    service: get('service'),
    operation: get('operation'),
    tags: get('tags'),
    lookback: get('lookback'),
    start: get('start'),
    end: get('end'),
    minDuration: get('minDuration'),
    maxDuration: get('maxDuration'),
    limit: get('limit'),
  };
}

async function loadOperations(root: HTMLElement, service: string, selected: string): Promise<void> {
  const sel = root.querySelector<HTMLSelectElement>('select[name=operation]');
  if (!sel) return;
  mount(sel, h('option', { value: '' }, 'All operations'));
  if (service === '') return;
  try {
    for (const op of await fetchOperations(service))
      sel.append(h('option', { value: op, selected: op === selected }, op));
  } catch {
    sel.append(h('option', { value: '', disabled: true }, '(could not load operations)'));
  }
}

async function runSearch(results: HTMLElement, form: SearchForm): Promise<void> {
  let query;
  try {
    query = toQuery(form, Date.now());
  } catch (err) {
    mount(results, errorBox('Invalid search', err));
    return;
  }
  mount(results, h('p', { class: 'muted pad' }, 'Searching…'));
  const ctrl = new AbortController();
  pending = ctrl;
  let traces: Trace[];
  try {
    traces = await searchTraces(query, ctrl.signal);
  } catch (err) {
    if (!ctrl.signal.aborted) mount(results, errorBox('Search failed', err));
    return;
  }
  if (ctrl.signal.aborted) return;
  // The server applies the limit; cap again so a server that ignores it cannot flood the page.
  showResults(results, traces.slice(0, query.limit).map(summarize));
}

function showResults(results: HTMLElement, summaries: readonly TraceSummary[], note?: string): void {
  const noteEl = note ? h('p', { class: 'results-note', role: 'status' }, note) : null;
  if (summaries.length === 0) {
    mount(
      results,
      noteEl,
      h(
        'div',
        { class: 'empty' },
        h('h2', {}, 'No traces found'),
        h('p', {}, 'Widen the time range or remove filters.'),
      ),
    );
    return;
  }
  const list = h('ol', { class: 'trace-list' });
  const sort = select('sort', SORTS, 'recent');
  const picked = new Set<string>();
  const compare = h('button', { type: 'button', class: 'compare-btn', disabled: true }, 'Compare 2 traces');
  const onPick = (id: string, on: boolean): void => {
    if (on) picked.add(id);
    else picked.delete(id);
    compare.disabled = picked.size !== 2;
  };
  compare.addEventListener('click', () => {
    const [a, b] = [...picked];
    if (a && b) navigate(`/trace/${a}...${b}`);
  });
  const draw = (): void => {
    const sorted = sortSummaries(summaries, sort.value as Sort);
    const maxDur = Math.max(1, ...sorted.map((t) => t.durationUs));
    mount(list, ...sorted.map((t) => traceRow(t, maxDur, picked.has(t.traceID), onPick)));
  };
  sort.addEventListener('change', draw);
  draw();
  const n = summaries.length;
  mount(
    results,
    noteEl,
    h('div', { class: 'scatter-box' }, renderScatter(summaries)),
    h(
      'div',
      { class: 'results-head' },
      h('h2', {}, `${n} trace${n === 1 ? '' : 's'}`),
      compare,
      h('label', { class: 'inline' }, 'Sort ', sort),
    ),
    list,
  );
}

function sortSummaries(list: readonly TraceSummary[], sort: Sort): TraceSummary[] {
  const copy = [...list];
  if (sort === 'longest') copy.sort((a, b) => b.durationUs - a.durationUs);
  else if (sort === 'shortest') copy.sort((a, b) => a.durationUs - b.durationUs);
  else if (sort === 'spans') copy.sort((a, b) => b.spanCount - a.spanCount);
  else copy.sort((a, b) => b.startUs - a.startUs);
  return copy;
}

function traceRow(
  t: TraceSummary,
  maxDur: number,
  isPicked: boolean,
  onPick: (id: string, on: boolean) => void,
): HTMLElement {
  const pct = Math.max(0.5, (t.durationUs / maxDur) * 100);
  const colors = assignColors(t.services.map((s) => s.name));
  const pick = h('input', {
    type: 'checkbox',
    class: 'pick',
    checked: isPicked,
    'aria-label': `Select trace ${t.traceID} to compare`,
  });
  pick.addEventListener('change', () => {
    onPick(t.traceID, pick.checked);
  });
  return h(
    'li',
    { class: 'trace-item' },
    pick,
    h(
      'a',
      { class: 'trace-row', href: appUrl(`/trace/${t.traceID}`), 'data-link': true, 'data-trace-id': t.traceID },
      h(
        'div',
        { class: 'row-head' },
        h('span', { class: 'swatch', style: `background:${colors.get(t.rootService) ?? serviceColor(t.rootService)}` }),
        h('span', { class: 'trace-name' }, t.name),
        h('span', { class: 'trace-id mono', title: t.traceID }, shortId(t.traceID)),
        h('span', { class: 'trace-dur' }, formatDuration(t.durationUs)),
      ),
      h('div', { class: 'dur-track' }, h('div', { class: 'dur-bar', style: `width:${pct.toFixed(2)}%` })),
      h(
        'div',
        { class: 'row-body' },
        h('span', { class: 'badge' }, `${t.spanCount} span${t.spanCount === 1 ? '' : 's'}`),
        t.errorCount > 0
          ? h('span', { class: 'badge err' }, `${t.errorCount} error${t.errorCount === 1 ? '' : 's'}`)
          : null,
        h('span', { class: 'services' }, ...t.services.slice(0, 8).map((s) => serviceChip(s, colors))),
        h(
          'span',
          { class: 'when', title: formatTime(t.startUs) },
          `${formatTime(t.startUs).slice(11, 19)} · ${formatAgo(t.startUs)}`,
        ),
      ),
    ),
  );
}

function serviceChip(s: TraceSummary['services'][number], colors: ReadonlyMap<string, string>): HTMLElement {
  return h(
    'span',
    {
      class: `chip${s.errors > 0 ? ' has-err' : ''}`,
      style: `border-left-color:${colors.get(s.name) ?? serviceColor(s.name)}`,
    },
    `${s.name} (${s.count})`,
  );
}

/** The first 7 characters as Jaeger shows them, and the last 4 where ids share a prefix (generated ones). */
function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 7)}…${id.slice(-4)}` : id;
}
